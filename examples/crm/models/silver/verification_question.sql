/* ---
materialized: incremental
unique_key: id_question
watermark: _ingestion_timestamp
description: Perguntas respondidas de cada verificação; as respostas sem conformidade informada vão para a quarentena
tags: [silver, crm]
columns:
  id_question: Identificador da pergunta respondida
  id_verification: Verificação a que a pergunta pertence
  question: Texto da pergunta
  is_critical: Se a pergunta é um controle crítico
  is_conform: Se a resposta está conforme
  answered_at: Quando foi respondida
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  conformidade_informada: is_conform IS NOT NULL
  verificacao_existe: id_verification IN (SELECT id_verification FROM silver.verification)
--- */
SELECT
    CAST(id_question AS BIGINT) AS id_question,
    CAST(id_verification AS BIGINT) AS id_verification,
    trim(question) AS question,
    coalesce(CAST(is_critical AS BOOLEAN), false) AS is_critical,
    CAST(is_conform AS BOOLEAN) AS is_conform,
    CAST(answered_at AS TIMESTAMP) AS answered_at,
    _ingestion_timestamp
FROM bronze.verification_question
QUALIFY row_number() OVER (PARTITION BY id_question ORDER BY answered_at DESC, _ingestion_timestamp DESC) = 1
