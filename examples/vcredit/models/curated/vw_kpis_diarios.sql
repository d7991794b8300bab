/* ---
materialized: view
description: KPIs diários da central para o dashboard (volume, TMA, primeira resposta, FCR, SLA, CSAT, NPS, custo)
tags: [curated, kpi, dashboard]
columns:
  data_referencia: Dia da abertura
  chamados: Chamados abertos no dia
  tma_minutos: Tempo médio de atendimento, em minutos
  primeira_resposta_minutos: Tempo médio até a primeira resposta, em minutos
  fcr_pct: Resolução no primeiro contato, em % dos resolvidos
  sla_pct: Resolvidos dentro do SLA, em %
  csat_medio: CSAT médio (1 a 5)
  nps: NPS (% promotores - % detratores)
  custo_por_chamado: Custo médio por chamado (R$)
--- */
SELECT
    data_referencia,
    count(*) AS chamados,
    count(*) FILTER (WHERE status = 'resolvido') AS resolvidos,
    count(*) FILTER (WHERE NOT encerrado) AS em_aberto,
    CAST(avg(tma_minutos) AS DECIMAL(12, 2)) AS tma_minutos,
    CAST(avg(primeira_resposta_minutos) AS DECIMAL(12, 2)) AS primeira_resposta_minutos,
    CAST(100.0 * count(*) FILTER (WHERE resolvido_primeiro_contato)
         / nullif(count(*) FILTER (WHERE status = 'resolvido'), 0) AS DECIMAL(5, 1)) AS fcr_pct,
    CAST(100.0 * count(*) FILTER (WHERE sla_cumprido) / nullif(count(sla_cumprido), 0) AS DECIMAL(5, 1)) AS sla_pct,
    CAST(avg(nota_csat) AS DECIMAL(4, 2)) AS csat_medio,
    CAST(100.0 * (count(*) FILTER (WHERE nota_nps >= 9) - count(*) FILTER (WHERE nota_nps <= 6))
         / nullif(count(nota_nps), 0) AS DECIMAL(5, 1)) AS nps,
    sum(custo_total) AS custo_total,
    CAST(sum(custo_total) / count(*) AS DECIMAL(12, 2)) AS custo_por_chamado
FROM gold.ft_atendimento_geral
GROUP BY data_referencia
