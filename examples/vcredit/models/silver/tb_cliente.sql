/* ---
materialized: incremental
unique_key: id_cliente
watermark: _ingestion_timestamp
description: Clientes tipados e limpos a partir de bronze.clientes (nome sem espaços extras, e-mail minúsculo, UF maiúscula, CPF só dígitos)
tags: [silver, cadastro]
columns:
  id_cliente: Identificador do cliente
  nome: Nome sem espaços sobrando
  cpf: CPF com 11 dígitos, sem pontuação
  email: E-mail em minúsculas
  uf: Unidade da federação em maiúsculas
  segmento: varejo, prime, consignado ou empresarial
  score_credito: Score de crédito interno (300 a 950)
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_cliente_presente: id_cliente IS NOT NULL
  cpf_com_11_digitos: length(cpf) = 11
--- */
SELECT
    CAST(id_cliente AS BIGINT) AS id_cliente,
    regexp_replace(trim(nome), '\s+', ' ', 'g') AS nome,
    lpad(regexp_replace(cpf, '[^0-9]', '', 'g'), 11, '0') AS cpf,
    lower(trim(email)) AS email,
    trim(telefone) AS telefone,
    upper(trim(uf)) AS uf,
    lower(trim(segmento)) AS segmento,
    CAST(score_credito AS INTEGER) AS score_credito,
    CAST(data_cadastro AS DATE) AS data_cadastro,
    CAST(atualizado_em AS TIMESTAMP) AS atualizado_em,
    _ingestion_timestamp
FROM bronze.clientes
