/* ---
materialized: table
description: Dimensão de motivos de contato, com o SLA da prioridade padrão (alta 4 h, media 24 h, baixa 72 h)
tags: [gold, dimensao]
columns:
  id_motivo: Chave do motivo
  motivo: Descrição do motivo
  categoria: Categoria do motivo
  prioridade_padrao: alta, media ou baixa
  sla_horas_padrao: SLA em horas da prioridade padrão
tests:
  - unique: id_motivo
  - not_null: [id_motivo, motivo]
--- */
SELECT
    id_motivo,
    descricao AS motivo,
    categoria,
    prioridade_padrao,
    CASE prioridade_padrao WHEN 'alta' THEN 4 WHEN 'media' THEN 24 WHEN 'baixa' THEN 72 END AS sla_horas_padrao,
    ativo
FROM silver.tb_motivo
