/* ---
# Itens validados (DROP). Um item cujo pedido foi descartado em silver.tb_pedido é descartado também.
materialized: incremental
unique_key: [id_pedido, id_item]
watermark: _ingestion_timestamp
description: Itens de pedido validados, com o valor do item; os inválidos, e os de pedidos descartados, são descartados
tags: [silver, pedidos]
columns:
  id_pedido: Pedido do item
  id_item: Número do item no pedido
  id_produto: Produto vendido
  quantidade: Unidades vendidas
  preco_unitario: Preço de uma unidade no momento do pedido
  valor_item: quantidade × preco_unitario
  _ingestion_timestamp: Quando o item chegou ao bronze (marca d'água da carga incremental)
expectations:
  pedido_existe: {expect: id_pedido IN (SELECT id_pedido FROM silver.tb_pedido), action: drop}
  produto_presente: {expect: id_produto IS NOT NULL, action: drop}
  quantidade_positiva: {expect: quantidade > 0, action: drop}
  preco_positivo: {expect: preco_unitario > 0, action: drop}
--- */
SELECT
    id_pedido,
    id_item,
    id_produto,
    quantidade,
    preco_unitario,
    quantidade * preco_unitario AS valor_item,
    _ingestion_timestamp
FROM bronze.order_items
QUALIFY row_number() OVER (PARTITION BY id_pedido, id_item ORDER BY _ingestion_timestamp DESC) = 1
