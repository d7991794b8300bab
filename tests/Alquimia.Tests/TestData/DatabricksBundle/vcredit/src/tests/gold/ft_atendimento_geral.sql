-- the data tests of gold.ft_atendimento_geral, written by `alquimia deploy databricks` from models/gold/ft_atendimento_geral.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

SELECT raise_error(concat('gold.ft_atendimento_geral: data test unique(id_chamado)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT concat_ws(', ', CAST(id_chamado AS STRING))
FROM gold.ft_atendimento_geral
WHERE id_chamado IS NOT NULL
GROUP BY id_chamado
HAVING count(*) > 1
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test not_null(id_chamado)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(id_chamado AS STRING)
FROM gold.ft_atendimento_geral
WHERE id_chamado IS NULL
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test not_null(data_referencia)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(data_referencia AS STRING)
FROM gold.ft_atendimento_geral
WHERE data_referencia IS NULL
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test not_null(custo_total)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(custo_total AS STRING)
FROM gold.ft_atendimento_geral
WHERE custo_total IS NULL
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test not_null(qtd_contatos)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(qtd_contatos AS STRING)
FROM gold.ft_atendimento_geral
WHERE qtd_contatos IS NULL
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test relationships(id_canal → gold.dm_canal.id_canal)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(child.id_canal AS STRING)
FROM gold.ft_atendimento_geral AS child
WHERE (child.id_canal IS NOT NULL AND NOT (child.id_canal IN (
SELECT parent.id_canal
FROM gold.dm_canal AS parent
WHERE parent.id_canal IS NOT NULL
)))
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test relationships(id_motivo → gold.dm_motivo.id_motivo)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(child.id_motivo AS STRING)
FROM gold.ft_atendimento_geral AS child
WHERE (child.id_motivo IS NOT NULL AND NOT (child.id_motivo IN (
SELECT parent.id_motivo
FROM gold.dm_motivo AS parent
WHERE parent.id_motivo IS NOT NULL
)))
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test relationships(id_atendente → gold.dm_atendente.id_atendente)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(child.id_atendente AS STRING)
FROM gold.ft_atendimento_geral AS child
WHERE (child.id_atendente IS NOT NULL AND NOT (child.id_atendente IN (
SELECT parent.id_atendente
FROM gold.dm_atendente AS parent
WHERE parent.id_atendente IS NOT NULL
)))
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test relationships(id_cliente → gold.dm_cliente.id_cliente)', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT CAST(child.id_cliente AS STRING)
FROM gold.ft_atendimento_geral AS child
WHERE (child.id_cliente IS NOT NULL AND NOT (child.id_cliente IN (
SELECT parent.id_cliente
FROM gold.dm_cliente AS parent
WHERE parent.id_cliente IS NOT NULL
)))
) AS failing_rows
) AS result
WHERE failing > 0;

SELECT raise_error(concat('gold.ft_atendimento_geral: data test custo_nao_negativo', ' failed on ', failing, ' row(s)')) AS test
FROM (
SELECT count(*) AS failing FROM (
SELECT id_chamado
FROM gold.ft_atendimento_geral
WHERE custo_total < 0
) AS failing_rows
) AS result
WHERE failing > 0;
