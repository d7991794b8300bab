-- the landing files of table chamados into bronze.chamados, written by `alquimia deploy databricks` from sources/postgres_public.yml.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

CREATE TABLE IF NOT EXISTS bronze.chamados (
  id_chamado BIGINT COMMENT 'Identificador do chamado',
  protocolo STRING COMMENT 'Protocolo informado ao cliente',
  id_cliente BIGINT COMMENT 'Cliente que abriu o chamado',
  id_atendente BIGINT COMMENT 'Atendente responsável',
  id_canal INT COMMENT 'Canal de entrada',
  id_motivo INT COMMENT 'Motivo do contato',
  prioridade STRING COMMENT 'Prioridade: alta, media ou baixa',
  status STRING COMMENT 'Status: aberto, em_atendimento, resolvido ou cancelado (digitado à mão: maiúsculas e espaços)',
  aberto_em TIMESTAMP_NTZ COMMENT 'Abertura do chamado',
  primeira_resposta_em TIMESTAMP_NTZ COMMENT 'Primeira resposta de um atendente',
  encerrado_em TIMESTAMP_NTZ COMMENT 'Encerramento (resolvido ou cancelado)',
  duracao_atendimento_seg INT COMMENT 'Tempo efetivo de atendimento, em segundos',
  qtd_contatos INT COMMENT 'Contatos do cliente até a solução',
  atualizado_em TIMESTAMP_NTZ COMMENT 'Momento da última alteração do chamado',
  _ingestion_timestamp TIMESTAMP_NTZ,
  _batch_id STRING,
  _source STRING,
  _source_file STRING
)
USING DELTA
COMMENT 'Chamados abertos pelos clientes; um chamado reaparece com o mesmo id quando muda de status';

DECLARE OR REPLACE VARIABLE alquimia_copy_into STRING;

SET VAR alquimia_copy_into = concat(
  'COPY INTO bronze.chamados
FROM (
  SELECT CAST(id_chamado AS BIGINT) AS id_chamado,
         CAST(protocolo AS STRING) AS protocolo,
         CAST(id_cliente AS BIGINT) AS id_cliente,
         CAST(id_atendente AS BIGINT) AS id_atendente,
         CAST(id_canal AS INT) AS id_canal,
         CAST(id_motivo AS INT) AS id_motivo,
         CAST(prioridade AS STRING) AS prioridade,
         CAST(status AS STRING) AS status,
         CAST(aberto_em AS TIMESTAMP_NTZ) AS aberto_em,
         CAST(primeira_resposta_em AS TIMESTAMP_NTZ) AS primeira_resposta_em,
         CAST(encerrado_em AS TIMESTAMP_NTZ) AS encerrado_em,
         CAST(duracao_atendimento_seg AS INT) AS duracao_atendimento_seg,
         CAST(qtd_contatos AS INT) AS qtd_contatos,
         CAST(atualizado_em AS TIMESTAMP_NTZ) AS atualizado_em,
         CAST(current_timestamp() AS TIMESTAMP_NTZ) AS _ingestion_timestamp,
         \'',
  replace(replace(CAST(:run_id AS STRING), '\\', '\\\\'), '\'', '\\\''),
  '-chamados\' AS _batch_id,
         \'postgres_public\' AS _source,
         _metadata.file_path AS _source_file
  FROM \'',
  replace(replace(CAST(regexp_replace(:landing_path, '/+$', '') AS STRING), '\\', '\\\\'), '\'', '\\\''),
  '/postgres_public/chamados\'
)
FILEFORMAT = PARQUET
FORMAT_OPTIONS (\'mergeSchema\' = \'true\')
COPY_OPTIONS (\'mergeSchema\' = \'false\')'
);

EXECUTE IMMEDIATE alquimia_copy_into;
