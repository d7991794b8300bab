/* ---
materialized: table
description: "KPIs de vendas por dia: receita, pedidos e ticket médio; pedidos cancelados ficam de fora"
tags: [gold, kpi]
columns:
  data_pedido: Dia dos pedidos
  receita: Soma do valor dos itens dos pedidos não cancelados
  pedidos: Pedidos não cancelados
  ticket_medio: receita ÷ pedidos, em reais com centavos
tests:
  - unique: data_pedido
  - not_null: [data_pedido, receita, pedidos, ticket_medio]
--- */
SELECT
    data_pedido,
    sum(valor_item) AS receita,
    count(DISTINCT id_pedido) AS pedidos,
    CAST(round(sum(valor_item) / count(DISTINCT id_pedido), 2) AS DECIMAL(18,2)) AS ticket_medio
FROM gold.ft_vendas
WHERE status <> 'cancelado'
GROUP BY data_pedido
