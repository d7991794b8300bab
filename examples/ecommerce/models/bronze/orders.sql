/* ---
# Bronze do seed 002: a ingestão bruta, com expectativas WARN, que só contam e registram o que está fora do esperado.
# Nenhuma linha é filtrada aqui. O bronze só acrescenta: cada linha que chega é nova, identificada pelo seu
# _ingestion_timestamp (único por linha); cada execução verifica só as linhas que chegaram desde a anterior.
materialized: incremental
unique_key: _ingestion_timestamp
watermark: _ingestion_timestamp
description: Pedidos como chegaram dos arquivos, todas as linhas; as expectativas (WARN) registram as fora do esperado em _alquimia.quality_results
tags: [bronze, pedidos]
columns:
  id_pedido: Identificador do pedido
  id_cliente: Cliente que fez o pedido
  pedido_em: Quando o pedido foi feito
  status: Status do pedido nesta versão
  forma_pagamento: pix, cartao ou boleto
  atualizado_em: Quando esta versão do pedido foi gravada
  _rescued_data: Valores que não couberam no tipo da coluna, com o arquivo de origem (JSON)
  _source_file: Arquivo de origem, dentro do lake
  _ingestion_timestamp: Quando a linha chegou ao bronze (único por linha)
expectations:
  id_pedido_presente: {expect: id_pedido IS NOT NULL, action: warn}
  cliente_presente: {expect: id_cliente IS NOT NULL, action: warn}
  status_conhecido: {expect: "status IN ('pago', 'enviado', 'entregue', 'cancelado')", action: warn}
  sem_dados_resgatados: {expect: _rescued_data IS NULL, action: warn}
--- */
SELECT id_pedido, id_cliente, pedido_em, status, forma_pagamento, atualizado_em, _rescued_data, _source_file, _ingestion_timestamp
FROM bronze.orders_raw
