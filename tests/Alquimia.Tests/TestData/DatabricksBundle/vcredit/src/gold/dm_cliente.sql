-- gold.dm_cliente, written by `alquimia deploy databricks` from models/gold/dm_cliente.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

DECLARE OR REPLACE VARIABLE alquimia_watermark TIMESTAMP_NTZ;

CREATE TABLE IF NOT EXISTS gold.dm_cliente
USING DELTA
COMMENT 'Dimensão de clientes para análise (sem CPF, e-mail e telefone, que ficam no silver por LGPD), com região e faixa de score; incremental, a carga diária lê só as versões de clientes que chegaram desde a anterior (a tabela inteira tem 0,3 cliente por chamado)'
AS
SELECT model.id_cliente, model.nome, model.uf, model.regiao, model.segmento, model.score_credito, model.faixa_score, model.data_cadastro, model._ingestion_timestamp, CAST(current_timestamp() AS TIMESTAMP_NTZ) AS _loaded_at
FROM (
SELECT id_cliente,
       nome,
       uf,
       CASE WHEN uf IN ('SP', 'RJ', 'MG', 'ES') THEN 'Sudeste' WHEN uf IN ('PR', 'SC', 'RS') THEN 'Sul' WHEN uf IN ('BA', 'PE', 'CE', 'MA', 'PB', 'RN', 'AL', 'PI', 'SE') THEN 'Nordeste' WHEN uf IN ('GO', 'MT', 'MS', 'DF') THEN 'Centro-Oeste' WHEN uf IN ('PA', 'AM', 'RO', 'TO', 'AC', 'AP', 'RR') THEN 'Norte' ELSE 'desconhecida' END AS regiao,
       segmento,
       score_credito,
       CASE WHEN score_credito < 500 THEN 'baixo' WHEN score_credito < 700 THEN 'medio' WHEN score_credito IS NOT NULL THEN 'alto' END AS faixa_score,
       data_cadastro,
       _ingestion_timestamp,
       _loaded_at
FROM silver.tb_cliente
) AS model
WHERE false;

SET VAR alquimia_watermark = (SELECT max(_loaded_at) FROM gold.dm_cliente);

MERGE INTO gold.dm_cliente AS target
USING (
SELECT * FROM (
SELECT *, row_number() OVER (PARTITION BY id_cliente ORDER BY _loaded_at DESC NULLS LAST, _ingestion_timestamp DESC NULLS LAST, xxhash64(nome, uf, regiao, segmento, score_credito, faixa_score, data_cadastro, _ingestion_timestamp)) AS alquimia_version
FROM (
SELECT * FROM (
SELECT id_cliente,
       nome,
       uf,
       CASE WHEN uf IN ('SP', 'RJ', 'MG', 'ES') THEN 'Sudeste' WHEN uf IN ('PR', 'SC', 'RS') THEN 'Sul' WHEN uf IN ('BA', 'PE', 'CE', 'MA', 'PB', 'RN', 'AL', 'PI', 'SE') THEN 'Nordeste' WHEN uf IN ('GO', 'MT', 'MS', 'DF') THEN 'Centro-Oeste' WHEN uf IN ('PA', 'AM', 'RO', 'TO', 'AC', 'AP', 'RR') THEN 'Norte' ELSE 'desconhecida' END AS regiao,
       segmento,
       score_credito,
       CASE WHEN score_credito < 500 THEN 'baixo' WHEN score_credito < 700 THEN 'medio' WHEN score_credito IS NOT NULL THEN 'alto' END AS faixa_score,
       data_cadastro,
       _ingestion_timestamp,
       _loaded_at
FROM silver.tb_cliente
) AS model
WHERE alquimia_watermark IS NULL OR model._loaded_at > alquimia_watermark
) AS versions
) AS ranked
WHERE alquimia_version = 1
) AS batch
ON target.id_cliente <=> batch.id_cliente
WHEN MATCHED AND (NOT (target.nome <=> batch.nome) OR NOT (target.uf <=> batch.uf) OR NOT (target.regiao <=> batch.regiao) OR NOT (target.segmento <=> batch.segmento) OR NOT (target.score_credito <=> batch.score_credito) OR NOT (target.faixa_score <=> batch.faixa_score) OR NOT (target.data_cadastro <=> batch.data_cadastro) OR NOT (target._ingestion_timestamp <=> batch._ingestion_timestamp)) THEN
  UPDATE SET nome = batch.nome, uf = batch.uf, regiao = batch.regiao, segmento = batch.segmento, score_credito = batch.score_credito, faixa_score = batch.faixa_score, data_cadastro = batch.data_cadastro, _ingestion_timestamp = batch._ingestion_timestamp, _loaded_at = CAST(current_timestamp() AS TIMESTAMP_NTZ)
WHEN NOT MATCHED THEN
  INSERT (id_cliente, nome, uf, regiao, segmento, score_credito, faixa_score, data_cadastro, _ingestion_timestamp, _loaded_at)
  VALUES (batch.id_cliente, batch.nome, batch.uf, batch.regiao, batch.segmento, batch.score_credito, batch.faixa_score, batch.data_cadastro, batch._ingestion_timestamp, CAST(current_timestamp() AS TIMESTAMP_NTZ));
