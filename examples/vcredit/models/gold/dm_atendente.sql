/* ---
materialized: table
description: Dimensão de atendentes (versão atual); o histórico de equipe e supervisor fica em dm_atendente_historico
tags: [gold, dimensao]
columns:
  id_atendente: Chave do atendente
  nome: Nome do atendente
  equipe: Equipe atual
  supervisor: Supervisor atual
  nivel: junior, pleno ou senior
  ativo: Se o atendente está ativo
tests:
  - unique: id_atendente
  - not_null: [id_atendente, equipe]
--- */
SELECT
    id_atendente,
    nome,
    email,
    equipe,
    supervisor,
    nivel,
    ativo,
    admitido_em,
    atualizado_em
FROM silver.tb_atendente
