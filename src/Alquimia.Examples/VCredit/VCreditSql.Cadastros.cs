namespace Alquimia.Examples.VCredit;

/// <summary>The registers: channels and reasons (a full copy every day), agents and clients (all on day 1, then changes).</summary>
internal static partial class VCreditSql
{
    private const string Nomes =
        "['Ana', 'Maria', 'João', 'José', 'Francisco', 'Antônio', 'Carlos', 'Paulo', 'Pedro', 'Lucas', 'Luiz', 'Marcos', " +
        "'Gabriel', 'Rafael', 'Juliana', 'Fernanda', 'Patrícia', 'Aline', 'Camila', 'Bruna', 'Larissa', 'Letícia', " +
        "'Beatriz', 'Mariana', 'Sandra', 'Vanessa', 'Rodrigo', 'Thiago', 'Felipe', 'Gustavo', 'Débora', 'Cláudia']";

    private const string Sobrenomes =
        "['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', " +
        "'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa', " +
        "'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas']";

    private const string Equipes = "['Cobrança', 'Cartões', 'Crédito Pessoal', 'Retenção', 'Atendimento Geral', 'Ouvidoria']";

    private const string Supervisores =
        "['Renata Quintino', 'Márcio Teles', 'Simone Prado', 'Edson Figueira', 'Tatiana Moura', 'Hélio Bastos', " +
        "'Priscila Duarte', 'Wagner Coelho', 'Adriana Peixoto', 'Roberto Sena', 'Cíntia Lacerda', 'Otávio Brandão']";

    /// <summary>Weighted roughly by population, so São Paulo has the most clients.</summary>
    private const string Ufs =
        "['SP', 'SP', 'SP', 'SP', 'SP', 'RJ', 'RJ', 'MG', 'MG', 'MG', 'BA', 'BA', 'PR', 'PR', 'RS', 'RS', 'PE', 'CE', " +
        "'PA', 'SC', 'GO', 'MA', 'AM', 'ES', 'PB', 'RN', 'MT', 'AL', 'PI', 'DF', 'MS', 'SE', 'RO', 'TO', 'AC', 'AP', 'RR']";

    /// <summary>The five channels as they stand (the source re-sends this small table every day).</summary>
    internal static string CanaisSelect(DateOnly start) =>
        "SELECT * FROM (VALUES " + string.Join(", ", Canais.Select((c, i) =>
            $"({Num(i + 1)}::INTEGER, {Str(c.Nome)}, {Str(c.Tipo)}, {Num(c.CustoMinuto)}::DECIMAL(10,2), " +
            $"{Num(c.CustoFixo)}::DECIMAL(10,2), true, {Date(start.AddDays(-90))}::TIMESTAMP)")) +
        ") t(id_canal, nome, tipo, custo_minuto, custo_fixo, ativo, atualizado_em), (SELECT dia AS lote FROM alvo)";

    /// <summary>The twelve reasons as they stand (re-sent every day).</summary>
    internal static string MotivosSelect(DateOnly start) =>
        "SELECT * FROM (VALUES " + string.Join(", ", Motivos.Select((m, i) =>
            $"({Num(i + 1)}::INTEGER, {Str(m.Descricao)}, {Str(m.Categoria)}, {Str(m.Prioridade)}, true, " +
            $"{Date(start.AddDays(-90))}::TIMESTAMP)")) +
        ") t(id_motivo, descricao, categoria, prioridade_padrao, ativo, atualizado_em), (SELECT dia AS lote FROM alvo)";

    /// <summary>
    /// Agents in the batch of each day in <c>alvo</c>: every agent on day 1, then about 2% a day whose
    /// team, supervisor or level changed. A version's content depends only on the agent and the day it changed.
    /// </summary>
    internal static string Atendentes(long count, DateOnly start)
    {
        const string v = "(id * 100000 + idx)";
        return $"""
            WITH base AS (
                SELECT range AS id, idx, dia, (1 + h(range * 100000 + idx, 'equipe') % 6)::BIGINT AS e
                FROM range(1, {Num(count + 1)}) CROSS JOIN alvo
                WHERE idx = 1 OR u(range * 100000 + idx, 'muda_atendente') < 0.02
            )
            SELECT id AS id_atendente,
                   CASE WHEN u(id, 'ruido_nome') < 0.03 THEN '  ' ELSE '' END
                       || pick({Nomes}, id, 'nome') || ' ' || pick({Sobrenomes}, id, 'sobrenome') AS nome,
                   lower(strip_accents(pick({Nomes}, id, 'nome') || '.' || pick({Sobrenomes}, id, 'sobrenome')))
                       || id || '@vcredit.com.br' AS email,
                   {Equipes}[e] AS equipe,
                   {Supervisores}[2 * e - 1 + (h({v}, 'supervisor') % 2)::BIGINT] AS supervisor,
                   pick(['junior', 'junior', 'pleno', 'pleno', 'senior'], {v}, 'nivel') AS nivel,
                   NOT (idx > 1 AND u({v}, 'desligado') < 0.03) AS ativo,
                   {Date(start)} - (60 + h(id, 'admissao') % 1800)::INTEGER AS admitido_em,
                   CASE WHEN idx = 1
                        THEN ({Date(start)} - (h(id, 'cadastro_atendente') % 30)::INTEGER)::TIMESTAMP + INTERVAL 9 HOUR
                        ELSE dia::TIMESTAMP + to_minutes((420 + h({v}, 'hora_mudanca') % 660)::BIGINT)
                   END AS atualizado_em,
                   dia AS lote
            FROM base
            """;
    }

    /// <summary>Clients in the batch of each day in <c>alvo</c>: all on day 1, then about 0.3% a day with a new phone or e-mail.</summary>
    internal static string Clientes(long count, DateOnly start)
    {
        const string v = "(id * 100000 + idx)";
        return $"""
            SELECT id AS id_cliente,
                   CASE WHEN u(id, 'ruido_nome') < 0.02 THEN ' ' ELSE '' END
                       || pick({Nomes}, id, 'nome') || ' ' || pick({Sobrenomes}, id, 'sobrenome') || ' '
                       || pick({Sobrenomes}, id, 'sobrenome2')
                       || CASE WHEN u(id, 'ruido_nome') > 0.99 THEN '  ' ELSE '' END AS nome,
                   lpad((h(id, 'cpf') % 100000000000)::VARCHAR, 11, '0') AS cpf,
                   CASE WHEN u({v}, 'email_maiusculo') < 0.02 THEN upper(e) ELSE e END AS email,
                   '+55 ' || (11 + h(id, 'ddd') % 89) || ' 9' || lpad((h({v}, 'telefone') % 100000000)::VARCHAR, 8, '0') AS telefone,
                   CASE WHEN u(id, 'uf_minuscula') < 0.02 THEN lower(uf) ELSE uf END AS uf,
                   pick(['varejo', 'varejo', 'varejo', 'varejo', 'prime', 'prime', 'consignado', 'empresarial'], id, 'segmento') AS segmento,
                   (300 + h(id, 'score') % 400 + h(id, 'score2') % 251)::INTEGER AS score_credito,
                   {Date(start)} - (h(id, 'cadastro') % 2500)::INTEGER AS data_cadastro,
                   CASE WHEN idx = 1
                        THEN ({Date(start)} - (h(id, 'cadastro') % 2500)::INTEGER)::TIMESTAMP + to_minutes((480 + h(id, 'hora') % 600)::BIGINT)
                        ELSE dia::TIMESTAMP + to_minutes((360 + h({v}, 'hora_mudanca') % 900)::BIGINT)
                   END AS atualizado_em,
                   dia AS lote
            FROM (
                SELECT id, idx, dia,
                       lower(strip_accents(pick({Nomes}, id, 'nome') || '.' || pick({Sobrenomes}, id, 'sobrenome')))
                           || (h(id * 100000 + idx, 'email') % 1000) || '@' || pick(['gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.br', 'uol.com.br'], id, 'dominio') AS e,
                       pick({Ufs}, id, 'uf') AS uf
                FROM (
                    SELECT range AS id, idx, dia FROM range(1, {Num(count + 1)}) CROSS JOIN alvo WHERE idx = 1
                    UNION ALL
                    -- about 0.3% of the clients change each later day, drawn without scanning them all
                    SELECT DISTINCT (1 + h(idx * 100000000 + range, 'muda_cliente') % {Num(count)})::BIGINT, idx, dia
                    FROM range({Num(Math.Max(1, count * 3 / 1000))}) CROSS JOIN alvo WHERE idx > 1
                )
            )
            """;
    }
}
