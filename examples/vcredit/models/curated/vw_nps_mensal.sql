/* ---
materialized: view
description: NPS mensal com promotores (9-10), neutros (7-8) e detratores (0-6); notas fora da faixa não entram
tags: [curated, kpi, dashboard, satisfacao]
columns:
  mes: Primeiro dia do mês de abertura
  respostas: Pesquisas com nota NPS válida
  promotores_pct: Percentual de promotores
  detratores_pct: Percentual de detratores
  nps: NPS (% promotores - % detratores), entre -100 e 100
--- */
SELECT
    CAST(date_trunc('month', data_referencia) AS DATE) AS mes,
    count(nota_nps) AS respostas,
    count(*) FILTER (WHERE categoria_nps = 'promotor') AS promotores,
    count(*) FILTER (WHERE categoria_nps = 'neutro') AS neutros,
    count(*) FILTER (WHERE categoria_nps = 'detrator') AS detratores,
    CAST(100.0 * count(*) FILTER (WHERE categoria_nps = 'promotor') / nullif(count(nota_nps), 0) AS DECIMAL(5, 1)) AS promotores_pct,
    CAST(100.0 * count(*) FILTER (WHERE categoria_nps = 'detrator') / nullif(count(nota_nps), 0) AS DECIMAL(5, 1)) AS detratores_pct,
    CAST(100.0 * (count(*) FILTER (WHERE categoria_nps = 'promotor') - count(*) FILTER (WHERE categoria_nps = 'detrator'))
         / nullif(count(nota_nps), 0) AS DECIMAL(5, 1)) AS nps,
    CAST(avg(nota_csat) AS DECIMAL(4, 2)) AS csat_medio
FROM gold.ft_atendimento_geral
GROUP BY date_trunc('month', data_referencia)
