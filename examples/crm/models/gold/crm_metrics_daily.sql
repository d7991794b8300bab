/* ---
materialized: delete_insert
window: data_referencia >= run_date() - 6
retention: {column: data_referencia, keep: 90 days}
description: Métricas do dashboard por dia, organização e localização; os últimos 7 dias refeitos a cada execução (DELETE + INSERT)
tags: [gold, crm, dashboard]
columns:
  data_referencia: Dia das verificações
  organization_id: Organização
  location_id: Localização
  total_verificacoes: Verificações feitas no dia
  verificacoes_nao_conformes: Verificações com ao menos uma resposta não conforme
  total_controles_criticos: Respostas a controles críticos
  controles_criticos_nao_conformes: Respostas a controles críticos não conformes
  total_perguntas: Perguntas respondidas
  perguntas_nao_conformes: Respostas não conformes
tests:
  - unique: [data_referencia, organization_id, location_id]
  - not_null: [data_referencia, organization_id, location_id]
  - expression: {name: nao_conformes_dentro_do_total, sql: "SELECT * FROM gold.crm_metrics_daily WHERE verificacoes_nao_conformes > total_verificacoes OR controles_criticos_nao_conformes > total_controles_criticos OR perguntas_nao_conformes > total_perguntas"}
--- */
SELECT
    CAST(v.verification_date AS DATE) AS data_referencia,
    v.organization_id,
    v.location_id,
    count(DISTINCT v.id_verification) AS total_verificacoes,
    count(DISTINCT v.id_verification) FILTER (WHERE NOT q.is_conform) AS verificacoes_nao_conformes,
    count(q.id_question) FILTER (WHERE q.is_critical) AS total_controles_criticos,
    count(q.id_question) FILTER (WHERE q.is_critical AND NOT q.is_conform) AS controles_criticos_nao_conformes,
    count(q.id_question) AS total_perguntas,
    count(q.id_question) FILTER (WHERE NOT q.is_conform) AS perguntas_nao_conformes
FROM silver.verification v
LEFT JOIN silver.verification_question q ON q.id_verification = v.id_verification
WHERE CAST(v.verification_date AS DATE) BETWEEN run_date() - 6 AND run_date()
GROUP BY ALL
