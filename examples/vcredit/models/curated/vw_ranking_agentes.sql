/* ---
materialized: view
description: Ranking dos atendentes nos últimos 30 dias de dados (por NPS, depois CSAT, volume e id), só com atendentes cadastrados (os órfãos ficam de fora) que tiveram ao menos 10 chamados e 5 respostas de pesquisa
tags: [curated, kpi, dashboard, atendente]
columns:
  posicao: Posição no ranking (1 = melhor), sem empates
  id_atendente: Atendente
  fcr_pct: Resolução no primeiro contato, em % dos resolvidos
  sla_pct: Resolvidos dentro do SLA, em %
  csat_medio: CSAT médio (1 a 5)
  nps: NPS (% promotores - % detratores)
--- */
WITH periodo AS (
    SELECT
        id_atendente,
        atendente,
        equipe,
        sum(chamados_atendidos) AS chamados_atendidos,
        sum(chamados_resolvidos) AS chamados_resolvidos,
        CAST(sum(minutos_atendimento) / nullif(sum(chamados_atendidos), 0) AS DECIMAL(12, 2)) AS tma_minutos,
        CAST(100.0 * sum(chamados_primeiro_contato) / nullif(sum(chamados_resolvidos), 0) AS DECIMAL(5, 1)) AS fcr_pct,
        CAST(100.0 * sum(chamados_sla_cumprido) / nullif(sum(chamados_sla_avaliados), 0) AS DECIMAL(5, 1)) AS sla_pct,
        CAST(sum(soma_csat) / nullif(sum(respostas_csat), 0) AS DECIMAL(4, 2)) AS csat_medio,
        sum(respostas_nps) AS respostas_nps,
        CAST(100.0 * (sum(promotores) - sum(detratores)) / nullif(sum(respostas_nps), 0) AS DECIMAL(5, 1)) AS nps
    FROM gold.ft_performance_agente
    WHERE data_referencia > (SELECT max(data_referencia) FROM gold.ft_performance_agente) - 30
      AND id_atendente IN (SELECT id_atendente FROM gold.dm_atendente)
    GROUP BY id_atendente, atendente, equipe
)
SELECT
    row_number() OVER (ORDER BY nps DESC NULLS LAST, csat_medio DESC NULLS LAST, chamados_atendidos DESC, id_atendente) AS posicao,
    *
FROM periodo
WHERE chamados_atendidos >= 10 AND respostas_nps >= 5
