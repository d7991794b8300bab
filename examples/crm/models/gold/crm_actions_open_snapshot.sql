/* ---
materialized: delete_insert
window: data_snapshot = run_date()
retention: {column: data_snapshot, keep: 90 days}
description: Todas as ações abertas no dia de referência, para a listagem paginada do dashboard (snapshot diário)
tags: [gold, crm, dashboard]
columns:
  data_snapshot: Dia do snapshot (run_date())
  id_action: Identificador da ação
  organization_id: Organização
  location_id: Localização
  responsavel: Responsável pela ação
  due_date: Vencimento
  status: aberta ou em_andamento (como está hoje na origem)
  tipo: corretiva, preventiva ou melhoria
  vencida: Se o vencimento é anterior ao dia do snapshot
tests:
  - unique: [data_snapshot, id_action]
  - not_null: [id_action, responsavel, due_date]
--- */
SELECT
    run_date() AS data_snapshot,
    id_action,
    organization_id,
    location_id,
    responsavel,
    due_date,
    status,
    tipo,
    due_date < run_date() AS vencida
FROM silver.action
WHERE CAST(opened_at AS DATE) <= run_date()
  AND (closed_at IS NULL OR CAST(closed_at AS DATE) > run_date())
