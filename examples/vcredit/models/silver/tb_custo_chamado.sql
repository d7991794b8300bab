/* ---
materialized: incremental
unique_key: id_custo
watermark: _ingestion_timestamp
description: Custos lançados por chamado; valores negativos são mantidos aqui e apontados pela validação (tb_custo_chamado_invalidos)
tags: [silver, custo]
columns:
  id_custo: Identificador do lançamento
  id_chamado: Chamado ao qual o custo pertence
  tipo_custo: atendimento, plataforma ou backoffice
  valor: Valor em reais
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_custo_presente: id_custo IS NOT NULL
  chamado_existe: id_chamado IN (SELECT id_chamado FROM silver.tb_chamado)
  valor_nao_negativo: valor >= 0
--- */
SELECT
    CAST(id_custo AS BIGINT) AS id_custo,
    CAST(id_chamado AS BIGINT) AS id_chamado,
    lower(trim(tipo_custo)) AS tipo_custo,
    CAST(valor AS DECIMAL(12, 2)) AS valor,
    CAST(registrado_em AS TIMESTAMP) AS registrado_em,
    _ingestion_timestamp
FROM bronze.custos_chamado
