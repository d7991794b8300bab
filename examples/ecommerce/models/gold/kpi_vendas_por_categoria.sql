/* ---
materialized: table
description: "KPIs de vendas por dia e categoria do produto (a do momento do pedido): receita, pedidos e ticket médio; pedidos cancelados ficam de fora"
tags: [gold, kpi]
columns:
  data_pedido: Dia dos pedidos
  categoria: Categoria do produto no momento do pedido
  receita: Soma do valor dos itens da categoria, nos pedidos não cancelados
  pedidos: Pedidos não cancelados com algum item da categoria
  ticket_medio: receita ÷ pedidos (a parte da categoria no ticket de quem a comprou)
tests:
  - unique: [data_pedido, categoria]
  - not_null: [data_pedido, categoria, receita, pedidos, ticket_medio]
--- */
SELECT
    data_pedido,
    categoria,
    sum(valor_item) AS receita,
    count(DISTINCT id_pedido) AS pedidos,
    CAST(round(sum(valor_item) / count(DISTINCT id_pedido), 2) AS DECIMAL(18,2)) AS ticket_medio
FROM gold.ft_vendas
WHERE status <> 'cancelado'
GROUP BY data_pedido, categoria
