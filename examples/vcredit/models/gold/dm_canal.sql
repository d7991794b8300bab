/* ---
materialized: table
description: Dimensão de canais de atendimento com custos unitários
tags: [gold, dimensao]
columns:
  id_canal: Chave do canal
  canal: telefone, chat, whatsapp, email ou app
  tipo: voz ou texto
  custo_minuto: Custo por minuto de atendimento (R$)
  custo_fixo: Custo fixo por chamado (R$)
tests:
  - unique: id_canal
  - not_null: [id_canal, canal]
--- */
SELECT
    id_canal,
    nome AS canal,
    tipo,
    custo_minuto,
    custo_fixo,
    ativo
FROM silver.tb_canal
