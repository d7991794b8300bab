/* ---
materialized: delete_insert
window: data_referencia = run_date()
retention: {column: data_referencia, keep: 90 days}
description: >-
  Ações abertas no dia de referência por organização e prioridade. As semanas contam a partir do dia de referência
  (run_date()), de segunda a domingo: vencidas (vencimento antes do dia de referência), S=0 (do dia de referência ao
  domingo da sua semana), S=1 a S=4 (as quatro semanas seguintes) e posterior a S=4.
tags: [gold, crm, dashboard]
columns:
  data_referencia: Dia de referência (run_date())
  organization_id: Organização
  vencidas: Abertas com vencimento antes do dia de referência
  s_0: Vencem entre o dia de referência e o domingo da sua semana
  s_1: Vencem na semana seguinte
  s_2: Vencem na segunda semana seguinte
  s_3: Vencem na terceira semana seguinte
  s_4: Vencem na quarta semana seguinte
  posterior_s4: Vencem depois da quarta semana seguinte
  total_abertas: Todas as ações abertas
tests:
  - unique: [data_referencia, organization_id]
  - expression: {name: faixas_somam_o_total, sql: "SELECT * FROM gold.crm_action_priorities_daily WHERE vencidas + s_0 + s_1 + s_2 + s_3 + s_4 + posterior_s4 <> total_abertas"}
--- */
WITH abertas AS (
    -- Aberta no dia de referência: aberta até ele e não concluída nem cancelada até ele.
    SELECT
        organization_id,
        due_date,
        date_diff('week', date_trunc('week', run_date()), date_trunc('week', due_date)) AS semana
    FROM silver.action
    WHERE CAST(opened_at AS DATE) <= run_date()
      AND (closed_at IS NULL OR CAST(closed_at AS DATE) > run_date())
)
SELECT
    run_date() AS data_referencia,
    organization_id,
    count(*) FILTER (WHERE due_date < run_date()) AS vencidas,
    count(*) FILTER (WHERE due_date >= run_date() AND semana = 0) AS s_0,
    count(*) FILTER (WHERE semana = 1) AS s_1,
    count(*) FILTER (WHERE semana = 2) AS s_2,
    count(*) FILTER (WHERE semana = 3) AS s_3,
    count(*) FILTER (WHERE semana = 4) AS s_4,
    count(*) FILTER (WHERE semana > 4) AS posterior_s4,
    count(*) AS total_abertas
FROM abertas
GROUP BY ALL
