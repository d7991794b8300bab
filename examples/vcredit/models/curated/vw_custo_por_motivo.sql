/* ---
materialized: view
description: Custo operacional por motivo de contato em todo o período, com a participação de cada motivo no custo total
tags: [curated, kpi, dashboard, custo]
columns:
  motivo: Motivo do contato
  chamados: Chamados no período
  custo_total: Custo total (R$)
  custo_por_chamado: Custo médio por chamado (R$)
  participacao_custo_pct: Participação do motivo no custo total, em %
--- */
SELECT
    id_motivo,
    motivo,
    sum(chamados) AS chamados,
    sum(minutos_atendimento) AS minutos_atendimento,
    sum(custo_total) AS custo_total,
    CAST(sum(custo_total) / nullif(sum(chamados), 0) AS DECIMAL(12, 2)) AS custo_por_chamado,
    CAST(100.0 * sum(custo_total) / nullif(sum(sum(custo_total)) OVER (), 0) AS DECIMAL(5, 1)) AS participacao_custo_pct
FROM gold.ft_custo_operacional
GROUP BY id_motivo, motivo
