/* ---
# Gold do seed 002: as regras FAIL. Uma venda que não se liga às dimensões não é publicada: o build inteiro falha, a
# versão anterior de ft_vendas fica, e os KPIs (que a leem) não rodam. Os dados normais passam sempre; uma falha aqui
# quer dizer que os arquivos de pedidos e o banco da loja não estão de acordo (um cliente ou produto que o CDC não
# trouxe), e os KPIs estariam errados.
materialized: table
description: Vendas, um item de pedido por linha, com o estado do cliente e a categoria do produto no momento do pedido
tags: [gold, fato]
columns:
  id_pedido: Pedido
  id_item: Número do item no pedido
  id_cliente: Cliente que fez o pedido
  id_produto: Produto vendido
  pedido_em: Quando o pedido foi feito
  data_pedido: Dia do pedido
  status: Status atual do pedido
  forma_pagamento: pix, cartao ou boleto
  quantidade: Unidades vendidas
  preco_unitario: Preço de uma unidade no momento do pedido
  valor_item: quantidade × preco_unitario
  cidade: Cidade do cliente no momento do pedido
  estado: Estado (UF) do cliente no momento do pedido
  categoria: Categoria do produto no momento do pedido
expectations:
  cliente_existe: {expect: id_cliente IN (SELECT id_cliente FROM gold.dm_customer), action: fail}
  produto_existe: {expect: id_produto IN (SELECT id_produto FROM gold.dm_product), action: fail}
  valor_positivo: {expect: valor_item > 0, action: fail}
--- */
-- O estado e a categoria são os da versão vigente quando o pedido foi feito, não os de hoje: a receita de março de
-- um cliente que se mudou em abril continua no estado de março. A vigência de uma versão vai do seu atualizado_em (o
-- relógio da loja, o mesmo de pedido_em) até o atualizado_em da versão seguinte; __START_AT e __END_AT são posições
-- no log do PostgreSQL, que não se comparam com horários. A primeira versão conhecida vale também para antes dela
-- (vigente_de NULL): o histórico começa no snapshot do primeiro sync, e um pedido anterior a uma mudança já feita
-- então fica com ela.
WITH clientes AS (
    SELECT id_cliente, cidade, estado,
           CASE WHEN lag(__START_AT) OVER versoes IS NOT NULL THEN atualizado_em END AS vigente_de,
           lead(atualizado_em) OVER versoes AS vigente_ate
    FROM gold.dm_customer
    WINDOW versoes AS (PARTITION BY id_cliente ORDER BY __START_AT)
),
produtos AS (
    SELECT id_produto, categoria,
           CASE WHEN lag(__START_AT) OVER versoes IS NOT NULL THEN atualizado_em END AS vigente_de,
           lead(atualizado_em) OVER versoes AS vigente_ate
    FROM gold.dm_product
    WINDOW versoes AS (PARTITION BY id_produto ORDER BY __START_AT)
)
SELECT
    i.id_pedido,
    i.id_item,
    p.id_cliente,
    i.id_produto,
    p.pedido_em,
    p.data_pedido,
    p.status,
    p.forma_pagamento,
    i.quantidade,
    i.preco_unitario,
    i.valor_item,
    c.cidade,
    c.estado,
    pr.categoria
FROM silver.tb_item_pedido AS i
JOIN silver.tb_pedido AS p ON p.id_pedido = i.id_pedido
LEFT JOIN clientes AS c
    ON c.id_cliente = p.id_cliente AND (c.vigente_de IS NULL OR p.pedido_em >= c.vigente_de) AND (c.vigente_ate IS NULL OR p.pedido_em < c.vigente_ate)
LEFT JOIN produtos AS pr
    ON pr.id_produto = i.id_produto AND (pr.vigente_de IS NULL OR p.pedido_em >= pr.vigente_de) AND (pr.vigente_ate IS NULL OR p.pedido_em < pr.vigente_ate)
