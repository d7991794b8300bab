/* ---
materialized: incremental
unique_key: id_cliente
watermark: _loaded_at
description: Dimensão de clientes para análise (sem CPF, e-mail e telefone, que ficam no silver por LGPD), com região e faixa de score; incremental, a carga diária lê só as versões de clientes que chegaram desde a anterior (a tabela inteira tem 0,3 cliente por chamado)
tags: [gold, dimensao]
columns:
  id_cliente: Chave do cliente
  uf: Unidade da federação
  regiao: Região do Brasil derivada da UF
  segmento: varejo, prime, consignado ou empresarial
  faixa_score: baixo (< 500), medio (500 a 699) ou alto (>= 700)
  _ingestion_timestamp: Quando a versão do cliente chegou ao bronze
  _loaded_at: Quando o Alquimia gravou a linha; a carga incremental lê os clientes gravados no silver desde a anterior
tests:
  - unique: id_cliente
  - not_null: [id_cliente, segmento]
--- */
SELECT
    id_cliente,
    nome,
    uf,
    CASE
        WHEN uf IN ('SP', 'RJ', 'MG', 'ES') THEN 'Sudeste'
        WHEN uf IN ('PR', 'SC', 'RS') THEN 'Sul'
        WHEN uf IN ('BA', 'PE', 'CE', 'MA', 'PB', 'RN', 'AL', 'PI', 'SE') THEN 'Nordeste'
        WHEN uf IN ('GO', 'MT', 'MS', 'DF') THEN 'Centro-Oeste'
        WHEN uf IN ('PA', 'AM', 'RO', 'TO', 'AC', 'AP', 'RR') THEN 'Norte'
        ELSE 'desconhecida'
    END AS regiao,
    segmento,
    score_credito,
    CASE
        WHEN score_credito < 500 THEN 'baixo'
        WHEN score_credito < 700 THEN 'medio'
        WHEN score_credito IS NOT NULL THEN 'alto'
    END AS faixa_score,
    data_cadastro,
    _ingestion_timestamp,
    _loaded_at
FROM silver.tb_cliente
