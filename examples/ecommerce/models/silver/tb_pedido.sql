/* ---
# Silver do seed 002: validação e limpeza, com expectativas DROP: a linha inválida é descartada (e contada em
# _alquimia.quality_results e _alquimia.model_runs.rows_dropped), não vai para quarentena.
materialized: incremental
unique_key: id_pedido
watermark: _ingestion_timestamp
description: Pedidos validados, um por id_pedido na versão mais recente (o status muda em dias seguintes); os inválidos são descartados
tags: [silver, pedidos]
columns:
  id_pedido: Identificador do pedido
  id_cliente: Cliente que fez o pedido
  pedido_em: Quando o pedido foi feito
  data_pedido: Dia do pedido
  status: pago, enviado, entregue ou cancelado
  forma_pagamento: pix, cartao ou boleto
  atualizado_em: Quando esta versão do pedido foi gravada
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_pedido_presente: {expect: id_pedido IS NOT NULL, action: drop}
  cliente_presente: {expect: id_cliente IS NOT NULL, action: drop}
  pedido_em_presente: {expect: pedido_em IS NOT NULL, action: drop}
  status_valido: {expect: "status IN ('pago', 'enviado', 'entregue', 'cancelado')", action: drop}
--- */
SELECT
    id_pedido,
    id_cliente,
    pedido_em,
    CAST(pedido_em AS DATE) AS data_pedido,
    lower(trim(status)) AS status,
    lower(trim(forma_pagamento)) AS forma_pagamento,
    atualizado_em,
    _ingestion_timestamp
FROM bronze.orders
QUALIFY row_number() OVER (PARTITION BY id_pedido ORDER BY atualizado_em DESC, _ingestion_timestamp DESC) = 1
