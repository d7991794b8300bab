-- gold.ft_custo_operacional, written by `alquimia deploy databricks` from models/gold/ft_custo_operacional.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

CREATE TABLE IF NOT EXISTS gold.ft_custo_operacional
USING DELTA
CLUSTER BY (data_referencia)
COMMENT 'Custo operacional por dia de abertura, canal e motivo; os últimos 7 dias de dados são apagados e recalculados a cada execução, e mais de 730 dias são descartados'
AS
SELECT * FROM (
SELECT f.data_referencia,
       f.id_canal,
       coalesce(dc.canal, 'desconhecido') AS canal,
       f.id_motivo,
       coalesce(dm.motivo, 'desconhecido') AS motivo,
       count(*) AS chamados,
       count(*) FILTER (WHERE f.status = 'resolvido') AS chamados_resolvidos,
       count(*) FILTER (WHERE f.status = 'cancelado') AS chamados_cancelados,
       CAST(coalesce(sum(f.tma_minutos), 0) AS DECIMAL(18, 2)) AS minutos_atendimento,
       CAST(sum(f.custo_total) AS DECIMAL(18, 2)) AS custo_total,
       CAST(try_divide(sum(f.custo_total), count(*)) AS DECIMAL(12, 2)) AS custo_por_chamado
FROM gold.ft_atendimento_geral AS f
LEFT JOIN gold.dm_canal AS dc ON dc.id_canal = f.id_canal
LEFT JOIN gold.dm_motivo AS dm ON dm.id_motivo = f.id_motivo
GROUP BY f.data_referencia, f.id_canal, dc.canal, f.id_motivo, dm.motivo
) AS model
WHERE false;

INSERT INTO gold.ft_custo_operacional
REPLACE WHERE data_referencia >= ((
SELECT max(data_referencia)
FROM gold.ft_atendimento_geral
) - 7)
SELECT * FROM (
SELECT f.data_referencia,
       f.id_canal,
       coalesce(dc.canal, 'desconhecido') AS canal,
       f.id_motivo,
       coalesce(dm.motivo, 'desconhecido') AS motivo,
       count(*) AS chamados,
       count(*) FILTER (WHERE f.status = 'resolvido') AS chamados_resolvidos,
       count(*) FILTER (WHERE f.status = 'cancelado') AS chamados_cancelados,
       CAST(coalesce(sum(f.tma_minutos), 0) AS DECIMAL(18, 2)) AS minutos_atendimento,
       CAST(sum(f.custo_total) AS DECIMAL(18, 2)) AS custo_total,
       CAST(try_divide(sum(f.custo_total), count(*)) AS DECIMAL(12, 2)) AS custo_por_chamado
FROM gold.ft_atendimento_geral AS f
LEFT JOIN gold.dm_canal AS dc ON dc.id_canal = f.id_canal
LEFT JOIN gold.dm_motivo AS dm ON dm.id_motivo = f.id_motivo
GROUP BY f.data_referencia, f.id_canal, dc.canal, f.id_motivo, dm.motivo
) AS model
WHERE data_referencia >= ((
SELECT max(data_referencia)
FROM gold.ft_atendimento_geral
) - 7);

DELETE FROM gold.ft_custo_operacional
WHERE data_referencia < CAST(:run_date AS DATE) - INTERVAL 730 DAYS;
