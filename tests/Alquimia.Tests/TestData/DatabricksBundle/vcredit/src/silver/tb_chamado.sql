-- silver.tb_chamado, written by `alquimia deploy databricks` from models/silver/tb_chamado.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

DECLARE OR REPLACE VARIABLE alquimia_watermark TIMESTAMP_NTZ;

CREATE TABLE IF NOT EXISTS silver.tb_chamado
USING DELTA
COMMENT 'Chamados tipados e limpos a partir de bronze.chamados, uma linha por chamado na versão mais recente (status e prioridade em minúsculas, sem espaços); linhas inválidas (órfãs, encerradas antes de abertas, status desconhecido) não são filtradas aqui, a validação as aponta em tb_chamado_invalidos'
AS
SELECT model.id_chamado, model.protocolo, model.id_cliente, model.id_atendente, model.id_canal, model.id_motivo, model.prioridade, model.status, model.aberto_em, model.primeira_resposta_em, model.encerrado_em, model.duracao_atendimento_seg, model.qtd_contatos, model.data_abertura, model.atualizado_em, model._ingestion_timestamp, CAST(current_timestamp() AS TIMESTAMP_NTZ) AS _loaded_at
FROM (
SELECT CAST(id_chamado AS BIGINT) AS id_chamado,
       upper(trim(protocolo)) AS protocolo,
       CAST(id_cliente AS BIGINT) AS id_cliente,
       CAST(id_atendente AS BIGINT) AS id_atendente,
       CAST(id_canal AS INT) AS id_canal,
       CAST(id_motivo AS INT) AS id_motivo,
       lower(trim(prioridade)) AS prioridade,
       lower(trim(status)) AS status,
       CAST(aberto_em AS TIMESTAMP_NTZ) AS aberto_em,
       CAST(primeira_resposta_em AS TIMESTAMP_NTZ) AS primeira_resposta_em,
       CAST(encerrado_em AS TIMESTAMP_NTZ) AS encerrado_em,
       CAST(duracao_atendimento_seg AS INT) AS duracao_atendimento_seg,
       CAST(qtd_contatos AS INT) AS qtd_contatos,
       CAST(aberto_em AS DATE) AS data_abertura,
       CAST(atualizado_em AS TIMESTAMP_NTZ) AS atualizado_em,
       _ingestion_timestamp
FROM bronze.chamados
) AS model
WHERE false;

CREATE TABLE IF NOT EXISTS silver.tb_chamado_invalidos
USING DELTA
AS
SELECT model.id_chamado AS id_chamado, model.protocolo AS protocolo, model.id_cliente AS id_cliente, model.id_atendente AS id_atendente, model.id_canal AS id_canal, model.id_motivo AS id_motivo, model.prioridade AS prioridade, model.status AS status, model.aberto_em AS aberto_em, model.primeira_resposta_em AS primeira_resposta_em, model.encerrado_em AS encerrado_em, model.duracao_atendimento_seg AS duracao_atendimento_seg, model.qtd_contatos AS qtd_contatos, model.data_abertura AS data_abertura, model.atualizado_em AS atualizado_em, model._ingestion_timestamp AS _ingestion_timestamp, CAST(NULL AS BOOLEAN) AS id_chamado_presente, CAST(NULL AS BOOLEAN) AS id_unico_no_lote, CAST(NULL AS BOOLEAN) AS cliente_existe, CAST(NULL AS BOOLEAN) AS atendente_existe, CAST(NULL AS BOOLEAN) AS canal_existe, CAST(NULL AS BOOLEAN) AS motivo_existe, CAST(NULL AS BOOLEAN) AS status_valido, CAST(NULL AS BOOLEAN) AS prioridade_valida, CAST(NULL AS BOOLEAN) AS encerrado_apos_abertura, CAST(NULL AS ARRAY<STRING>) AS _failed_rules, CAST(NULL AS STRING) AS _run_id, CAST(NULL AS TIMESTAMP) AS _quarantined_at
FROM (
SELECT CAST(id_chamado AS BIGINT) AS id_chamado,
       upper(trim(protocolo)) AS protocolo,
       CAST(id_cliente AS BIGINT) AS id_cliente,
       CAST(id_atendente AS BIGINT) AS id_atendente,
       CAST(id_canal AS INT) AS id_canal,
       CAST(id_motivo AS INT) AS id_motivo,
       lower(trim(prioridade)) AS prioridade,
       lower(trim(status)) AS status,
       CAST(aberto_em AS TIMESTAMP_NTZ) AS aberto_em,
       CAST(primeira_resposta_em AS TIMESTAMP_NTZ) AS primeira_resposta_em,
       CAST(encerrado_em AS TIMESTAMP_NTZ) AS encerrado_em,
       CAST(duracao_atendimento_seg AS INT) AS duracao_atendimento_seg,
       CAST(qtd_contatos AS INT) AS qtd_contatos,
       CAST(aberto_em AS DATE) AS data_abertura,
       CAST(atualizado_em AS TIMESTAMP_NTZ) AS atualizado_em,
       _ingestion_timestamp
FROM bronze.chamados
) AS model
WHERE false;

SET VAR alquimia_watermark = (SELECT max(_ingestion_timestamp) FROM silver.tb_chamado);

CREATE SCHEMA IF NOT EXISTS _alquimia;

CREATE OR REPLACE TABLE _alquimia.silver__tb_chamado__checked
USING DELTA
AS
SELECT model.*,
  coalesce(CAST((id_chamado IS NOT NULL) AS BOOLEAN), false) AS id_chamado_presente,
  coalesce(CAST(coalesce(alquimia_kept_id_unico_no_lote, ((id_chamado IS NOT NULL AND _ingestion_timestamp IS NOT NULL AND (id_chamado, _ingestion_timestamp) IN (
SELECT id_chamado, _ingestion_timestamp
FROM bronze.chamados
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR _ingestion_timestamp >= alquimia_watermark)
GROUP BY ALL
HAVING count(*) = 1
)))) AS BOOLEAN), false) AS id_unico_no_lote,
  coalesce(CAST((id_cliente IN (
SELECT id_cliente
FROM silver.tb_cliente
)) AS BOOLEAN), false) AS cliente_existe,
  coalesce(CAST(((id_atendente IS NULL OR id_atendente IN (
SELECT id_atendente
FROM silver.tb_atendente
))) AS BOOLEAN), false) AS atendente_existe,
  coalesce(CAST((id_canal IN (
SELECT id_canal
FROM silver.tb_canal
)) AS BOOLEAN), false) AS canal_existe,
  coalesce(CAST((id_motivo IN (
SELECT id_motivo
FROM silver.tb_motivo
)) AS BOOLEAN), false) AS motivo_existe,
  coalesce(CAST((status IN ('aberto', 'em_atendimento', 'resolvido', 'cancelado')) AS BOOLEAN), false) AS status_valido,
  coalesce(CAST((prioridade IN ('alta', 'media', 'baixa')) AS BOOLEAN), false) AS prioridade_valida,
  coalesce(CAST(((encerrado_em IS NULL OR encerrado_em >= aberto_em)) AS BOOLEAN), false) AS encerrado_apos_abertura
FROM (
WITH batch AS (
SELECT * FROM (
SELECT *, row_number() OVER (PARTITION BY id_chamado ORDER BY _ingestion_timestamp DESC NULLS LAST, xxhash64(protocolo, id_cliente, id_atendente, id_canal, id_motivo, prioridade, status, aberto_em, primeira_resposta_em, encerrado_em, duracao_atendimento_seg, qtd_contatos, data_abertura, atualizado_em)) AS alquimia_version
FROM (
SELECT * FROM (
SELECT CAST(id_chamado AS BIGINT) AS id_chamado,
       upper(trim(protocolo)) AS protocolo,
       CAST(id_cliente AS BIGINT) AS id_cliente,
       CAST(id_atendente AS BIGINT) AS id_atendente,
       CAST(id_canal AS INT) AS id_canal,
       CAST(id_motivo AS INT) AS id_motivo,
       lower(trim(prioridade)) AS prioridade,
       lower(trim(status)) AS status,
       CAST(aberto_em AS TIMESTAMP_NTZ) AS aberto_em,
       CAST(primeira_resposta_em AS TIMESTAMP_NTZ) AS primeira_resposta_em,
       CAST(encerrado_em AS TIMESTAMP_NTZ) AS encerrado_em,
       CAST(duracao_atendimento_seg AS INT) AS duracao_atendimento_seg,
       CAST(qtd_contatos AS INT) AS qtd_contatos,
       CAST(aberto_em AS DATE) AS data_abertura,
       CAST(atualizado_em AS TIMESTAMP_NTZ) AS atualizado_em,
       _ingestion_timestamp
FROM bronze.chamados
) AS model
WHERE alquimia_watermark IS NULL OR model._ingestion_timestamp >= alquimia_watermark
) AS versions
) AS ranked
WHERE alquimia_version = 1
)
SELECT id_chamado, protocolo, id_cliente, id_atendente, id_canal, id_motivo, prioridade, status, aberto_em, primeira_resposta_em, encerrado_em, duracao_atendimento_seg, qtd_contatos, data_abertura, atualizado_em, _ingestion_timestamp, false AS alquimia_retried, CAST(NULL AS BOOLEAN) AS alquimia_kept_id_unico_no_lote
FROM batch
UNION ALL
SELECT quarantined.id_chamado, quarantined.protocolo, quarantined.id_cliente, quarantined.id_atendente, quarantined.id_canal, quarantined.id_motivo, quarantined.prioridade, quarantined.status, quarantined.aberto_em, quarantined.primeira_resposta_em, quarantined.encerrado_em, quarantined.duracao_atendimento_seg, quarantined.qtd_contatos, quarantined.data_abertura, quarantined.atualizado_em, quarantined._ingestion_timestamp, true AS alquimia_retried, quarantined.id_unico_no_lote AS alquimia_kept_id_unico_no_lote
FROM silver.tb_chamado_invalidos AS quarantined
WHERE NOT (quarantined.id_chamado IS NULL)
  AND NOT EXISTS (SELECT 1 FROM batch WHERE quarantined.id_chamado <=> batch.id_chamado)
) AS model;

SELECT 'silver.tb_chamado' AS model, count_if(NOT alquimia_retried) AS new_rows, count_if(alquimia_retried) AS retried_rows,
  count_if(NOT alquimia_retried AND NOT id_chamado_presente) AS id_chamado_presente,
  count_if(NOT alquimia_retried AND NOT id_unico_no_lote) AS id_unico_no_lote,
  count_if(NOT alquimia_retried AND NOT cliente_existe) AS cliente_existe,
  count_if(NOT alquimia_retried AND NOT atendente_existe) AS atendente_existe,
  count_if(NOT alquimia_retried AND NOT canal_existe) AS canal_existe,
  count_if(NOT alquimia_retried AND NOT motivo_existe) AS motivo_existe,
  count_if(NOT alquimia_retried AND NOT status_valido) AS status_valido,
  count_if(NOT alquimia_retried AND NOT prioridade_valida) AS prioridade_valida,
  count_if(NOT alquimia_retried AND NOT encerrado_apos_abertura) AS encerrado_apos_abertura
FROM _alquimia.silver__tb_chamado__checked;

MERGE INTO silver.tb_chamado_invalidos AS quarantined
USING _alquimia.silver__tb_chamado__checked AS checked
ON NOT (checked.id_chamado IS NULL) AND quarantined.id_chamado <=> checked.id_chamado
WHEN MATCHED AND (checked.id_chamado_presente AND checked.id_unico_no_lote AND checked.cliente_existe AND checked.atendente_existe AND checked.canal_existe AND checked.motivo_existe AND checked.status_valido AND checked.prioridade_valida AND checked.encerrado_apos_abertura) THEN DELETE
WHEN MATCHED AND NOT checked.alquimia_retried THEN
  UPDATE SET id_chamado = checked.id_chamado, protocolo = checked.protocolo, id_cliente = checked.id_cliente, id_atendente = checked.id_atendente, id_canal = checked.id_canal, id_motivo = checked.id_motivo, prioridade = checked.prioridade, status = checked.status, aberto_em = checked.aberto_em, primeira_resposta_em = checked.primeira_resposta_em, encerrado_em = checked.encerrado_em, duracao_atendimento_seg = checked.duracao_atendimento_seg, qtd_contatos = checked.qtd_contatos, data_abertura = checked.data_abertura, atualizado_em = checked.atualizado_em, _ingestion_timestamp = checked._ingestion_timestamp, id_chamado_presente = checked.id_chamado_presente, id_unico_no_lote = checked.id_unico_no_lote, cliente_existe = checked.cliente_existe, atendente_existe = checked.atendente_existe, canal_existe = checked.canal_existe, motivo_existe = checked.motivo_existe, status_valido = checked.status_valido, prioridade_valida = checked.prioridade_valida, encerrado_apos_abertura = checked.encerrado_apos_abertura, _failed_rules = filter(array(CASE WHEN NOT checked.id_chamado_presente THEN 'id_chamado_presente' END, CASE WHEN NOT checked.id_unico_no_lote THEN 'id_unico_no_lote' END, CASE WHEN NOT checked.cliente_existe THEN 'cliente_existe' END, CASE WHEN NOT checked.atendente_existe THEN 'atendente_existe' END, CASE WHEN NOT checked.canal_existe THEN 'canal_existe' END, CASE WHEN NOT checked.motivo_existe THEN 'motivo_existe' END, CASE WHEN NOT checked.status_valido THEN 'status_valido' END, CASE WHEN NOT checked.prioridade_valida THEN 'prioridade_valida' END, CASE WHEN NOT checked.encerrado_apos_abertura THEN 'encerrado_apos_abertura' END), rule -> rule IS NOT NULL), _run_id = CAST(:run_id AS STRING), _quarantined_at = current_timestamp()
WHEN NOT MATCHED AND NOT (checked.id_chamado_presente AND checked.id_unico_no_lote AND checked.cliente_existe AND checked.atendente_existe AND checked.canal_existe AND checked.motivo_existe AND checked.status_valido AND checked.prioridade_valida AND checked.encerrado_apos_abertura) THEN
  INSERT (id_chamado, protocolo, id_cliente, id_atendente, id_canal, id_motivo, prioridade, status, aberto_em, primeira_resposta_em, encerrado_em, duracao_atendimento_seg, qtd_contatos, data_abertura, atualizado_em, _ingestion_timestamp, id_chamado_presente, id_unico_no_lote, cliente_existe, atendente_existe, canal_existe, motivo_existe, status_valido, prioridade_valida, encerrado_apos_abertura, _failed_rules, _run_id, _quarantined_at)
  VALUES (checked.id_chamado, checked.protocolo, checked.id_cliente, checked.id_atendente, checked.id_canal, checked.id_motivo, checked.prioridade, checked.status, checked.aberto_em, checked.primeira_resposta_em, checked.encerrado_em, checked.duracao_atendimento_seg, checked.qtd_contatos, checked.data_abertura, checked.atualizado_em, checked._ingestion_timestamp, checked.id_chamado_presente, checked.id_unico_no_lote, checked.cliente_existe, checked.atendente_existe, checked.canal_existe, checked.motivo_existe, checked.status_valido, checked.prioridade_valida, checked.encerrado_apos_abertura, filter(array(CASE WHEN NOT checked.id_chamado_presente THEN 'id_chamado_presente' END, CASE WHEN NOT checked.id_unico_no_lote THEN 'id_unico_no_lote' END, CASE WHEN NOT checked.cliente_existe THEN 'cliente_existe' END, CASE WHEN NOT checked.atendente_existe THEN 'atendente_existe' END, CASE WHEN NOT checked.canal_existe THEN 'canal_existe' END, CASE WHEN NOT checked.motivo_existe THEN 'motivo_existe' END, CASE WHEN NOT checked.status_valido THEN 'status_valido' END, CASE WHEN NOT checked.prioridade_valida THEN 'prioridade_valida' END, CASE WHEN NOT checked.encerrado_apos_abertura THEN 'encerrado_apos_abertura' END), rule -> rule IS NOT NULL), CAST(:run_id AS STRING), current_timestamp());

MERGE INTO silver.tb_chamado AS target
USING (
SELECT * FROM _alquimia.silver__tb_chamado__checked
WHERE (id_chamado_presente AND id_unico_no_lote AND cliente_existe AND atendente_existe AND canal_existe AND motivo_existe AND status_valido AND prioridade_valida AND encerrado_apos_abertura) AND true
) AS batch
ON target.id_chamado <=> batch.id_chamado
WHEN MATCHED AND (NOT (target.protocolo <=> batch.protocolo) OR NOT (target.id_cliente <=> batch.id_cliente) OR NOT (target.id_atendente <=> batch.id_atendente) OR NOT (target.id_canal <=> batch.id_canal) OR NOT (target.id_motivo <=> batch.id_motivo) OR NOT (target.prioridade <=> batch.prioridade) OR NOT (target.status <=> batch.status) OR NOT (target.aberto_em <=> batch.aberto_em) OR NOT (target.primeira_resposta_em <=> batch.primeira_resposta_em) OR NOT (target.encerrado_em <=> batch.encerrado_em) OR NOT (target.duracao_atendimento_seg <=> batch.duracao_atendimento_seg) OR NOT (target.qtd_contatos <=> batch.qtd_contatos) OR NOT (target.data_abertura <=> batch.data_abertura) OR NOT (target.atualizado_em <=> batch.atualizado_em) OR NOT (target._ingestion_timestamp <=> batch._ingestion_timestamp)) THEN
  UPDATE SET protocolo = batch.protocolo, id_cliente = batch.id_cliente, id_atendente = batch.id_atendente, id_canal = batch.id_canal, id_motivo = batch.id_motivo, prioridade = batch.prioridade, status = batch.status, aberto_em = batch.aberto_em, primeira_resposta_em = batch.primeira_resposta_em, encerrado_em = batch.encerrado_em, duracao_atendimento_seg = batch.duracao_atendimento_seg, qtd_contatos = batch.qtd_contatos, data_abertura = batch.data_abertura, atualizado_em = batch.atualizado_em, _ingestion_timestamp = batch._ingestion_timestamp, _loaded_at = CAST(current_timestamp() AS TIMESTAMP_NTZ)
WHEN NOT MATCHED THEN
  INSERT (id_chamado, protocolo, id_cliente, id_atendente, id_canal, id_motivo, prioridade, status, aberto_em, primeira_resposta_em, encerrado_em, duracao_atendimento_seg, qtd_contatos, data_abertura, atualizado_em, _ingestion_timestamp, _loaded_at)
  VALUES (batch.id_chamado, batch.protocolo, batch.id_cliente, batch.id_atendente, batch.id_canal, batch.id_motivo, batch.prioridade, batch.status, batch.aberto_em, batch.primeira_resposta_em, batch.encerrado_em, batch.duracao_atendimento_seg, batch.qtd_contatos, batch.data_abertura, batch.atualizado_em, batch._ingestion_timestamp, CAST(current_timestamp() AS TIMESTAMP_NTZ));

DROP TABLE IF EXISTS _alquimia.silver__tb_chamado__checked;
