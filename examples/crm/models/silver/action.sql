/* ---
materialized: incremental
unique_key: id_action
watermark: _ingestion_timestamp
description: Ações do CRM, uma linha por ação na versão mais recente (a origem manda uma versão a cada mudança de status)
tags: [silver, crm]
columns:
  id_action: Identificador da ação
  id_verification: Verificação de origem
  id_question: Pergunta não conforme de origem
  organization_id: Organização da ação
  location_id: Localização da ação
  responsavel: Responsável pela ação
  tipo: corretiva, preventiva ou melhoria
  status: aberta, em_andamento, concluida ou cancelada
  due_date: Vencimento da ação
  opened_at: Quando a ação foi aberta
  closed_at: Quando foi concluída ou cancelada; vazio enquanto aberta
  updated_at: Última alteração na origem
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  status_conhecido: status IN ('aberta', 'em_andamento', 'concluida', 'cancelada')
  vencimento_presente: due_date IS NOT NULL
--- */
SELECT
    CAST(id_action AS BIGINT) AS id_action,
    CAST(id_verification AS BIGINT) AS id_verification,
    CAST(id_question AS BIGINT) AS id_question,
    upper(trim(organization_id)) AS organization_id,
    upper(trim(location_id)) AS location_id,
    trim(responsavel) AS responsavel,
    lower(trim(tipo)) AS tipo,
    lower(trim(status)) AS status,
    CAST(due_date AS DATE) AS due_date,
    CAST(opened_at AS TIMESTAMP) AS opened_at,
    CAST(closed_at AS TIMESTAMP) AS closed_at,
    CAST(updated_at AS TIMESTAMP) AS updated_at,
    _ingestion_timestamp
FROM bronze.action
QUALIFY row_number() OVER (PARTITION BY id_action ORDER BY updated_at DESC, _ingestion_timestamp DESC) = 1
