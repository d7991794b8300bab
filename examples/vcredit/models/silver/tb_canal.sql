/* ---
materialized: incremental
unique_key: id_canal
watermark: _ingestion_timestamp
description: Canais de atendimento (telefone, chat, whatsapp, email, app) com seus custos unitários
tags: [silver, cadastro]
columns:
  id_canal: Identificador do canal
  nome: Nome do canal em minúsculas
  tipo: voz ou texto
  custo_minuto: Custo por minuto de atendimento (R$)
  custo_fixo: Custo fixo por chamado (R$)
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_canal_presente: id_canal IS NOT NULL
  custos_nao_negativos: custo_minuto >= 0 AND custo_fixo >= 0
--- */
SELECT
    CAST(id_canal AS INTEGER) AS id_canal,
    lower(trim(nome)) AS nome,
    lower(trim(tipo)) AS tipo,
    CAST(custo_minuto AS DECIMAL(10, 2)) AS custo_minuto,
    CAST(custo_fixo AS DECIMAL(10, 2)) AS custo_fixo,
    CAST(ativo AS BOOLEAN) AS ativo,
    CAST(atualizado_em AS TIMESTAMP) AS atualizado_em,
    _ingestion_timestamp
FROM bronze.canais
