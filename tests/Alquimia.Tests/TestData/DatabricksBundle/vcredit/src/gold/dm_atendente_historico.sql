-- gold.dm_atendente_historico, written by `alquimia deploy databricks` from models/gold/dm_atendente_historico.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

CREATE TABLE IF NOT EXISTS gold.dm_atendente_historico
USING DELTA
COMMENT 'Histórico (SCD tipo 2) dos atendentes, uma versão a cada mudança de equipe, supervisor, nível ou situação'
AS
SELECT model.id_atendente, model.nome, model.equipe, model.supervisor, model.nivel, model.ativo, model.atualizado_em, CAST(NULL AS TIMESTAMP_NTZ) AS valid_from, CAST(NULL AS TIMESTAMP_NTZ) AS valid_to, true AS is_current
FROM (
SELECT id_atendente,
       nome,
       equipe,
       supervisor,
       nivel,
       ativo,
       atualizado_em
FROM silver.tb_atendente
) AS model
WHERE false;

MERGE INTO gold.dm_atendente_historico AS target
USING (
WITH latest AS (
SELECT id_atendente, nome, equipe, supervisor, nivel, ativo, atualizado_em FROM (
SELECT *, row_number() OVER (PARTITION BY id_atendente ORDER BY atualizado_em DESC NULLS LAST, xxhash64(id_atendente, nome, equipe, supervisor, nivel, ativo, atualizado_em)) AS alquimia_version
FROM (
SELECT id_atendente,
       nome,
       equipe,
       supervisor,
       nivel,
       ativo,
       atualizado_em
FROM silver.tb_atendente
) AS model
) AS ranked
WHERE alquimia_version = 1
)
SELECT latest.*, false AS alquimia_new_version FROM latest
UNION ALL
SELECT latest.*, true AS alquimia_new_version FROM latest
JOIN gold.dm_atendente_historico AS target ON target.is_current AND target.id_atendente <=> latest.id_atendente
WHERE latest.atualizado_em > target.atualizado_em
) AS staged
ON NOT staged.alquimia_new_version AND target.is_current AND target.id_atendente <=> staged.id_atendente
WHEN MATCHED AND staged.atualizado_em > target.atualizado_em THEN
  UPDATE SET valid_to = CAST(staged.atualizado_em AS TIMESTAMP_NTZ), is_current = false
WHEN NOT MATCHED THEN
  INSERT (id_atendente, nome, equipe, supervisor, nivel, ativo, atualizado_em, valid_from, valid_to, is_current)
  VALUES (staged.id_atendente, staged.nome, staged.equipe, staged.supervisor, staged.nivel, staged.ativo, staged.atualizado_em, CAST(staged.atualizado_em AS TIMESTAMP_NTZ), NULL, true);
