/* ---
materialized: incremental
unique_key: id_motivo
watermark: _ingestion_timestamp
description: Motivos de contato (segunda via de boleto, renegociação de dívida, cartão bloqueado, ...) com a prioridade padrão
tags: [silver, cadastro]
columns:
  id_motivo: Identificador do motivo
  descricao: Descrição do motivo
  categoria: Categoria do motivo
  prioridade_padrao: alta, media ou baixa
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_motivo_presente: id_motivo IS NOT NULL
--- */
SELECT
    CAST(id_motivo AS INTEGER) AS id_motivo,
    trim(descricao) AS descricao,
    lower(trim(categoria)) AS categoria,
    lower(trim(prioridade_padrao)) AS prioridade_padrao,
    CAST(ativo AS BOOLEAN) AS ativo,
    CAST(atualizado_em AS TIMESTAMP) AS atualizado_em,
    _ingestion_timestamp
FROM bronze.motivos
