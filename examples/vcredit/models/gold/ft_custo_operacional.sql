/* ---
materialized: delete_insert
window: data_referencia >= (SELECT max(data_referencia) FROM gold.ft_atendimento_geral) - 7
retention: {column: data_referencia, keep: 730 days}
partition_by: data_referencia
description: Custo operacional por dia de abertura, canal e motivo; os últimos 7 dias de dados são apagados e recalculados a cada execução, e mais de 730 dias são descartados
tags: [gold, fato, kpi, custo]
columns:
  data_referencia: Dia da abertura dos chamados
  canal: Canal de entrada
  motivo: Motivo do contato
  chamados: Chamados abertos
  minutos_atendimento: Soma do tempo efetivo de atendimento, em minutos
  custo_total: Soma dos custos dos chamados (R$)
  custo_por_chamado: custo_total / chamados (R$)
tests:
  - unique: [data_referencia, id_canal, id_motivo]
  - not_null: [data_referencia, chamados, custo_total]
--- */
SELECT
    f.data_referencia,
    f.id_canal,
    coalesce(dc.canal, 'desconhecido') AS canal,
    f.id_motivo,
    coalesce(dm.motivo, 'desconhecido') AS motivo,
    count(*) AS chamados,
    count(*) FILTER (WHERE f.status = 'resolvido') AS chamados_resolvidos,
    count(*) FILTER (WHERE f.status = 'cancelado') AS chamados_cancelados,
    -- Sums as DECIMAL(18, 2), not sum()'s DECIMAL(38, 2): see custos in ft_atendimento_geral.
    CAST(coalesce(sum(f.tma_minutos), 0) AS DECIMAL(18, 2)) AS minutos_atendimento,
    CAST(sum(f.custo_total) AS DECIMAL(18, 2)) AS custo_total,
    CAST(sum(f.custo_total) / count(*) AS DECIMAL(12, 2)) AS custo_por_chamado
FROM gold.ft_atendimento_geral AS f
LEFT JOIN gold.dm_canal AS dc ON dc.id_canal = f.id_canal
LEFT JOIN gold.dm_motivo AS dm ON dm.id_motivo = f.id_motivo
GROUP BY f.data_referencia, f.id_canal, dc.canal, f.id_motivo, dm.motivo
