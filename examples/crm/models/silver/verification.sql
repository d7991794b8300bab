/* ---
materialized: incremental
unique_key: id_verification
watermark: _ingestion_timestamp
description: Verificações tipadas a partir de bronze.verification; uma linha por verificação, a versão mais recente
tags: [silver, crm]
columns:
  id_verification: Identificador da verificação
  organization_id: Organização (franquia)
  location_id: Localização (unidade) da organização
  verification_date: Quando a verificação foi feita
  status: Situação da verificação
  updated_at: Última alteração na origem
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  organizacao_presente: organization_id IS NOT NULL
  data_presente: verification_date IS NOT NULL
--- */
SELECT
    CAST(id_verification AS BIGINT) AS id_verification,
    upper(trim(organization_id)) AS organization_id,
    upper(trim(location_id)) AS location_id,
    CAST(verification_date AS TIMESTAMP) AS verification_date,
    lower(trim(status)) AS status,
    CAST(updated_at AS TIMESTAMP) AS updated_at,
    _ingestion_timestamp
FROM bronze.verification
QUALIFY row_number() OVER (PARTITION BY id_verification ORDER BY updated_at DESC, _ingestion_timestamp DESC) = 1
