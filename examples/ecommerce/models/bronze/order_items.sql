/* ---
# Como bronze.orders: todas as linhas, e as expectativas WARN só registram as fora do esperado.
materialized: incremental
unique_key: _ingestion_timestamp
watermark: _ingestion_timestamp
description: Itens de pedido como chegaram dos arquivos, todas as linhas; as expectativas (WARN) registram as fora do esperado
tags: [bronze, pedidos]
columns:
  id_pedido: Pedido do item
  id_item: Número do item no pedido
  id_produto: Produto vendido
  quantidade: Unidades vendidas (NULL quando o valor não era um número; ver _rescued_data)
  preco_unitario: Preço de uma unidade no momento do pedido
  _rescued_data: Valores que não couberam no tipo da coluna, com o arquivo de origem (JSON)
  _source_file: Arquivo de origem, dentro do lake
  _ingestion_timestamp: Quando a linha chegou ao bronze (único por linha)
expectations:
  produto_presente: {expect: id_produto IS NOT NULL, action: warn}
  quantidade_positiva: {expect: quantidade > 0, action: warn}
  preco_positivo: {expect: preco_unitario > 0, action: warn}
  sem_dados_resgatados: {expect: _rescued_data IS NULL, action: warn}
--- */
SELECT id_pedido, id_item, id_produto, quantidade, preco_unitario, _rescued_data, _source_file, _ingestion_timestamp
FROM bronze.order_items_raw
