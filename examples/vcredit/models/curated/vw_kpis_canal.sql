/* ---
materialized: view
description: KPIs por mês e canal (volume, participação, TMA, SLA, CSAT, NPS, custo por chamado)
tags: [curated, kpi, dashboard]
columns:
  mes: Primeiro dia do mês de abertura
  canal: Canal de entrada
  participacao_pct: Participação do canal nos chamados do mês, em %
  sla_pct: Resolvidos dentro do SLA, em %
  nps: NPS (% promotores - % detratores)
  custo_por_chamado: Custo médio por chamado (R$)
--- */
SELECT
    CAST(date_trunc('month', data_referencia) AS DATE) AS mes,
    coalesce(dc.canal, 'desconhecido') AS canal,
    count(*) AS chamados,
    CAST(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY date_trunc('month', data_referencia)) AS DECIMAL(5, 1))
        AS participacao_pct,
    CAST(avg(tma_minutos) AS DECIMAL(12, 2)) AS tma_minutos,
    CAST(avg(primeira_resposta_minutos) AS DECIMAL(12, 2)) AS primeira_resposta_minutos,
    CAST(100.0 * count(*) FILTER (WHERE sla_cumprido) / nullif(count(sla_cumprido), 0) AS DECIMAL(5, 1)) AS sla_pct,
    CAST(avg(nota_csat) AS DECIMAL(4, 2)) AS csat_medio,
    CAST(100.0 * (count(*) FILTER (WHERE nota_nps >= 9) - count(*) FILTER (WHERE nota_nps <= 6))
         / nullif(count(nota_nps), 0) AS DECIMAL(5, 1)) AS nps,
    CAST(sum(custo_total) / count(*) AS DECIMAL(12, 2)) AS custo_por_chamado
FROM gold.ft_atendimento_geral AS f
LEFT JOIN gold.dm_canal AS dc ON dc.id_canal = f.id_canal
GROUP BY date_trunc('month', data_referencia), dc.canal
