/* ---
materialized: incremental
unique_key: id_atendente
watermark: _ingestion_timestamp
description: Atendentes tipados e limpos a partir de bronze.atendentes; uma linha por atendente, a versão mais recente
tags: [silver, atendimento]
columns:
  id_atendente: Identificador do atendente
  nome: Nome sem espaços sobrando
  email: E-mail corporativo em minúsculas
  equipe: Equipe atual do atendente
  supervisor: Supervisor atual
  nivel: junior, pleno ou senior
  atualizado_em: Última alteração do cadastro na origem
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_atendente_presente: id_atendente IS NOT NULL
--- */
SELECT
    CAST(id_atendente AS BIGINT) AS id_atendente,
    regexp_replace(trim(nome), '\s+', ' ', 'g') AS nome,
    lower(trim(email)) AS email,
    trim(equipe) AS equipe,
    trim(supervisor) AS supervisor,
    lower(trim(nivel)) AS nivel,
    CAST(ativo AS BOOLEAN) AS ativo,
    CAST(admitido_em AS DATE) AS admitido_em,
    CAST(atualizado_em AS TIMESTAMP) AS atualizado_em,
    _ingestion_timestamp
FROM bronze.atendentes
