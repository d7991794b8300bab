/* ---
materialized: snapshot
strategy: timestamp
updated_at: atualizado_em
unique_key: id_atendente
description: Histórico (SCD tipo 2) dos atendentes, uma versão a cada mudança de equipe, supervisor, nível ou situação
tags: [gold, dimensao, historico]
columns:
  id_atendente: Chave do atendente
  equipe: Equipe nesta versão
  supervisor: Supervisor nesta versão
  atualizado_em: Quando a versão passou a valer na origem
--- */
SELECT
    id_atendente,
    nome,
    equipe,
    supervisor,
    nivel,
    ativo,
    atualizado_em
FROM silver.tb_atendente
