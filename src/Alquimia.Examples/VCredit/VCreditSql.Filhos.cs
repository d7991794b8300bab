namespace Alquimia.Examples.VCredit;

/// <summary>The children of each chamado: its event log, its costs and its satisfaction survey.</summary>
internal static partial class VCreditSql
{
    /// <summary>The chamado_logs rows for the days in <c>alvo</c>: one row per event, landing the day it happened (or the day its chamado landed).</summary>
    internal static string VersoesLogs() => $"""
        SELECT id_log, id_chamado, evento, id_atendente, registrado_em, detalhe,
               greatest(registrado_em::DATE, chegada) AS lote
        FROM (
            SELECT id_chamado * 8 + e.n AS id_log, id_chamado, e.evento,
                   CASE WHEN e.n = 1 THEN NULL ELSE id_atendente END AS id_atendente,
                   CASE e.n WHEN 1 THEN aberto_em
                            WHEN 2 THEN primeira_resposta_em
                            WHEN 3 THEN primeira_resposta_em + (encerrado_em - primeira_resposta_em) * 0.3
                            WHEN 4 THEN primeira_resposta_em + (encerrado_em - primeira_resposta_em) * 0.5
                            ELSE encerrado_em END AS registrado_em,
                   CASE e.n WHEN 3 THEN 'transferido para ' || pick(['Cobrança', 'Cartões', 'Crédito Pessoal', 'Retenção', 'Ouvidoria'], id_chamado, 'destino')
                            WHEN 4 THEN 'escalado para o nível 2'
                            WHEN 5 THEN CASE WHEN status_final = 'cancelado' THEN 'cancelado pelo cliente' END END AS detalhe,
                   chegada
            FROM plano
            CROSS JOIN (VALUES (1, 'aberto'), (2, 'primeira_resposta'), (3, 'transferido'), (4, 'escalado'), (5, 'encerrado')) e(n, evento)
            WHERE e.n IN (1, 2, 5) OR (e.n = 3 AND transferido) OR (e.n = 4 AND escalado)
        )
        WHERE greatest(registrado_em::DATE, chegada) IN (SELECT dia FROM alvo)
        """;

    /// <summary>The custos_chamado rows for the days in <c>alvo</c>: handling, platform and (when escalated) back-office cost, landing when the chamado closes.</summary>
    internal static string VersoesCustos() => $"""
        SELECT id_custo, id_chamado, tipo_custo, valor, registrado_em, lote
        FROM (
            SELECT id_chamado * 4 + k.n AS id_custo, id_chamado, k.tipo_custo,
                   CASE k.n WHEN 1 THEN round(duracao_seg / 60.0 * {CustoMinutoPorCanal}[id_canal], 2)
                                        * CASE WHEN defeito = 'custo_negativo' THEN -1 ELSE 1 END
                            WHEN 2 THEN {CustoFixoPorCanal}[id_canal]
                            ELSE 12.50 + (h(id_chamado, 'backoffice') % 1500) / 100.0 END::DECIMAL(12,2) AS valor,
                   greatest(encerrado_em, aberto_em) AS registrado_em,
                   greatest(encerrado_em::DATE, chegada) AS lote
            FROM plano
            CROSS JOIN (VALUES (1, 'atendimento'), (2, 'plataforma'), (3, 'backoffice')) k(n, tipo_custo)
            WHERE k.n IN (1, 2) OR (k.n = 3 AND escalado)
        )
        WHERE lote IN (SELECT dia FROM alvo)
        """;

    /// <summary>
    /// The pesquisas rows for the days in <c>alvo</c>: about 30% of resolved chamados answer a survey a few hours after closing; CSAT (1..5)
    /// and NPS (0..10) are better when the chamado was solved at first contact and within SLA.
    /// </summary>
    internal static string VersoesPesquisas() => $"""
        WITH r AS (
            SELECT id_chamado, defeito, chegada,
                   encerrado_em + to_seconds((60 + expo(10800, id_chamado, 'resposta_pesquisa'))::BIGINT) AS respondida_em,
                   0.70 + CASE WHEN primeiro_contato THEN 0.12 ELSE -0.05 END
                        - CASE WHEN transferido THEN 0.10 ELSE 0 END - CASE WHEN escalado THEN 0.08 ELSE 0 END
                        - CASE WHEN encerrado_em > aberto_em + to_hours(CASE prioridade WHEN 'alta' THEN 4 WHEN 'media' THEN 24 ELSE 72 END)
                               THEN 0.20 ELSE 0 END
                        + 0.55 * (u(id_chamado, 'satisfacao') - 0.5) AS satisfacao
            FROM plano
            WHERE status_final = 'resolvido' AND encerrado_em > aberto_em
              AND (u(id_chamado, 'pesquisa') < 0.30 OR defeito = 'nota_fora_faixa')
        )
        SELECT id_chamado AS id_pesquisa, id_chamado,
               CASE WHEN defeito = 'nota_fora_faixa' THEN pick([0, 6, 7], id_chamado, 'csat_ruim')
                    ELSE least(5, greatest(1, 1 + floor(satisfacao * 5)))::INTEGER END AS nota_csat,
               CASE WHEN defeito = 'nota_fora_faixa' THEN pick([-1, 11, 12, 15], id_chamado, 'nps_ruim')
                    ELSE least(10, greatest(0, round(satisfacao * 11 - 0.3)))::INTEGER END AS nota_nps,
               CASE WHEN u(id_chamado, 'comentario') < 0.2 THEN
                    CASE WHEN satisfacao >= 0.7 THEN pick(['Atendimento excelente, resolveu rápido.', 'Atendente muito educado.', 'Gostei, problema resolvido.'], id_chamado, 'texto')
                         WHEN satisfacao >= 0.45 THEN pick(['Resolveu, mas demorou.', 'Ok.', 'Poderia ser mais rápido.'], id_chamado, 'texto')
                         ELSE pick(['Fui transferido várias vezes.', 'Demorou demais para resolver.', 'Não resolveram meu problema.'], id_chamado, 'texto') END
               END AS comentario,
               respondida_em,
               greatest(respondida_em::DATE, chegada) AS lote
        FROM r
        WHERE greatest(respondida_em::DATE, chegada) IN (SELECT dia FROM alvo)
        """;
}
