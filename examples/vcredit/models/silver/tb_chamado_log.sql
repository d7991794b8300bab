/* ---
materialized: incremental
unique_key: id_log
watermark: _ingestion_timestamp
description: Eventos dos chamados (aberto, primeira_resposta, transferido, escalado, encerrado)
tags: [silver, atendimento]
columns:
  id_log: Identificador do evento
  id_chamado: Chamado do evento
  evento: aberto, primeira_resposta, transferido, escalado ou encerrado
  id_atendente: Atendente responsável (nulo na abertura)
  registrado_em: Momento do evento
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_log_presente: id_log IS NOT NULL
  chamado_existe: id_chamado IN (SELECT id_chamado FROM silver.tb_chamado)
  evento_valido: evento IN ('aberto', 'primeira_resposta', 'transferido', 'escalado', 'encerrado')
--- */
SELECT
    CAST(id_log AS BIGINT) AS id_log,
    CAST(id_chamado AS BIGINT) AS id_chamado,
    lower(trim(evento)) AS evento,
    CAST(id_atendente AS BIGINT) AS id_atendente,
    CAST(registrado_em AS TIMESTAMP) AS registrado_em,
    nullif(trim(detalhe), '') AS detalhe,
    _ingestion_timestamp
FROM bronze.chamado_logs
