/* ---
materialized: incremental
unique_key: id_pesquisa
watermark: _ingestion_timestamp
description: Pesquisas de satisfação (CSAT 1 a 5, NPS 0 a 10); notas fora da faixa ficam aqui e são apontadas pela validação
tags: [silver, satisfacao]
columns:
  id_pesquisa: Identificador da pesquisa
  id_chamado: Chamado avaliado
  nota_csat: Satisfação com o atendimento (1 a 5)
  nota_nps: Probabilidade de recomendar (0 a 10)
  comentario: Comentário livre, nulo quando vazio
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_pesquisa_presente: id_pesquisa IS NOT NULL
  chamado_existe: id_chamado IN (SELECT id_chamado FROM silver.tb_chamado)
  nota_csat_na_faixa: nota_csat IS NULL OR nota_csat BETWEEN 1 AND 5
  nota_nps_na_faixa: nota_nps IS NULL OR nota_nps BETWEEN 0 AND 10
--- */
SELECT
    CAST(id_pesquisa AS BIGINT) AS id_pesquisa,
    CAST(id_chamado AS BIGINT) AS id_chamado,
    CAST(nota_csat AS INTEGER) AS nota_csat,
    CAST(nota_nps AS INTEGER) AS nota_nps,
    nullif(trim(comentario), '') AS comentario,
    CAST(respondida_em AS TIMESTAMP) AS respondida_em,
    _ingestion_timestamp
FROM bronze.pesquisas
