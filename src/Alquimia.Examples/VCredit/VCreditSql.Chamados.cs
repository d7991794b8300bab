namespace Alquimia.Examples.VCredit;

/// <summary>
/// The plan of each chamado (everything that will ever happen to it) and the versions the source sends: a chamado
/// still open when it lands is sent again, with the same id and a later atualizado_em, the day it is closed.
/// </summary>
internal static partial class VCreditSql
{
    private const string Defeitos =
        "['orfao_cliente', 'orfao_atendente', 'encerrado_antes_aberto', 'status_desconhecido', 'custo_negativo', 'duplicado', 'nota_fora_faixa']";

    /// <summary>
    /// Creates <c>plano</c> from <c>novos(id_chamado, data_abertura, chegada)</c>. Every column is a function of those
    /// three values and the seed, so a later run (the next day) can plan an old chamado again and get the same answer.
    /// </summary>
    internal static string Plano(VCreditGeneratorOptions options) => $"""
        CREATE OR REPLACE TEMP TABLE plano AS
        WITH a AS (
            SELECT id_chamado AS id, data_abertura, chegada,
                   CASE WHEN u(id_chamado, 'defeito') < {Num(options.BadRowShare)} THEN pick({Defeitos}, id_chamado, 'tipo_defeito') END AS defeito,
                   pick({CanalPonderado}, id_chamado, 'canal') AS id_canal,
                   pick({MotivoPonderado}, id_chamado, 'motivo') AS id_motivo,
                   data_abertura::TIMESTAMP + to_seconds((pick({HoraPonderada}, id_chamado, 'hora') * 3600 + h(id_chamado, 'segundo') % 3600)::BIGINT) AS aberto_em
            FROM novos
        ), b AS (
            SELECT *,
                   CASE WHEN u(id, 'prioridade') < 0.8 THEN {PrioridadePorMotivo}[id_motivo]
                        ELSE pick(['alta', 'media', 'baixa'], id, 'prioridade2') END AS prioridade,
                   0.2 + expo({RespostaPorCanal}[id_canal], id, 'resposta') AS resposta_min,
                   (30 + expo({DuracaoPorCanal}[id_canal] * 60 - 30, id, 'duracao'))::INTEGER AS duracao_seg,
                   u(id, 'cancelado') < 0.05 AS cancelado
            FROM a
        ), c AS (
            SELECT *,
                   NOT cancelado AND u(id, 'fcr') < CASE prioridade WHEN 'alta' THEN 0.55 WHEN 'media' THEN 0.65 ELSE 0.78 END AS primeiro_contato
            FROM b
        ), d AS (
            SELECT *,
                   u(id, 'transferido') < CASE WHEN primeiro_contato THEN 0.03 ELSE 0.25 END AS transferido,
                   NOT primeiro_contato AND u(id, 'escalado') < CASE prioridade WHEN 'alta' THEN 0.18 ELSE 0.05 END AS escalado,
                   CASE WHEN primeiro_contato THEN 1 ELSE 2 + h(id, 'contatos') % 3 END::INTEGER AS qtd_contatos,
                   resposta_min + duracao_seg / 60.0
                       + CASE WHEN primeiro_contato THEN 0
                              ELSE expo(CASE prioridade WHEN 'alta' THEN 150 WHEN 'media' THEN 700 ELSE 2200 END, id, 'pendencia') END
                       + CASE WHEN u(id, 'pendencia_longa') < 0.015 THEN 14400 + h(id, 'dias_pendente') % 21600 ELSE 0 END AS resolucao_min
            FROM c
        )
        SELECT id AS id_chamado, data_abertura, chegada, defeito, id_canal, id_motivo, prioridade, aberto_em,
               'VC' || strftime(data_abertura, '%Y%m%d') || lpad(id::VARCHAR, 10, '0') AS protocolo,
               CASE WHEN defeito = 'orfao_cliente' THEN {Num(options.Clientes)} + 1 + h(id, 'cliente') % 1000
                    ELSE 1 + h(id, 'cliente') % {Num(options.Clientes)} END::BIGINT AS id_cliente,
               CASE WHEN defeito = 'orfao_atendente' THEN {Num(options.Atendentes)} + 1 + h(id, 'atendente') % 100
                    ELSE 1 + h(id, 'atendente') % {Num(options.Atendentes)} END::BIGINT AS id_atendente,
               aberto_em + to_seconds((resposta_min * 60)::BIGINT) AS primeira_resposta_em,
               CASE WHEN defeito = 'encerrado_antes_aberto' THEN aberto_em - to_minutes((30 + h(id, 'antes') % 600)::BIGINT)
                    ELSE aberto_em + to_seconds((resolucao_min * 60)::BIGINT) END AS encerrado_em,
               duracao_seg, qtd_contatos, primeiro_contato, transferido, escalado,
               CASE WHEN defeito = 'status_desconhecido' THEN pick(['pendente_sistema', 'encerrado_auto', 'em_analise_n3'], id, 'status_ruim')
                    WHEN cancelado THEN 'cancelado' ELSE 'resolvido' END AS status_final
        FROM d
        """;

    /// <summary>
    /// The rows of the chamados table with the day each lands (<c>lote</c>), for the days in <c>alvo</c>. Statuses are sometimes sent in capitals or padded, as users type them.
    /// </summary>
    internal static string VersoesChamados() => $"""
        WITH versoes AS (
            -- still open when it landed: sent as aberto / em_atendimento, without encerrado_em
            SELECT id_chamado, protocolo, id_cliente, id_atendente, id_canal, id_motivo, prioridade,
                   CASE WHEN primeira_resposta_em::DATE <= chegada THEN 'em_atendimento' ELSE 'aberto' END AS status,
                   aberto_em,
                   CASE WHEN primeira_resposta_em::DATE <= chegada THEN primeira_resposta_em END AS primeira_resposta_em,
                   NULL::TIMESTAMP AS encerrado_em, NULL::INTEGER AS duracao_atendimento_seg, 1 AS qtd_contatos,
                   CASE WHEN primeira_resposta_em::DATE <= chegada THEN primeira_resposta_em ELSE aberto_em END AS atualizado_em,
                   chegada AS lote
            FROM plano
            WHERE encerrado_em::DATE > chegada
            UNION ALL
            -- closed: the final version, the day it closed (or the day it landed, when it landed late)
            SELECT id_chamado, protocolo, id_cliente, id_atendente, id_canal, id_motivo, prioridade, status_final,
                   aberto_em, primeira_resposta_em, encerrado_em, duracao_seg, qtd_contatos,
                   greatest(encerrado_em, aberto_em), greatest(encerrado_em::DATE, chegada)
            FROM plano
            UNION ALL
            -- the defect 'duplicado': the same id twice in its first batch, with different content
            SELECT id_chamado, protocolo, id_cliente, id_atendente, 1 + id_canal % 5, id_motivo,
                   CASE prioridade WHEN 'alta' THEN 'baixa' ELSE 'alta' END, 'aberto', aberto_em, NULL, NULL, NULL, 1,
                   aberto_em, chegada
            FROM plano
            WHERE defeito = 'duplicado'
        )
        SELECT id_chamado, protocolo, id_cliente, id_atendente, id_canal::INTEGER AS id_canal, id_motivo::INTEGER AS id_motivo,
               prioridade,
               CASE WHEN u(id_chamado * 100000 + (lote - DATE '2000-01-01'), 'ruido_status') < 0.02 THEN upper(status)
                    WHEN u(id_chamado * 100000 + (lote - DATE '2000-01-01'), 'ruido_status') > 0.985 THEN ' ' || status || ' '
                    ELSE status END AS status,
               aberto_em, primeira_resposta_em, encerrado_em, duracao_atendimento_seg::INTEGER AS duracao_atendimento_seg,
               qtd_contatos::INTEGER AS qtd_contatos, atualizado_em, lote
        FROM versoes
        WHERE lote IN (SELECT dia FROM alvo)
        """;
}
