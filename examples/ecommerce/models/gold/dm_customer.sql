/* ---
# A dimensão de clientes como SCD tipo 2, aplicando o feed de CDC de bronze.customers (o AUTO CDC do Lakeflow):
# cada mudança de um cliente abre uma versão nova, de __START_AT a __END_AT (a posição da mudança no log do
# PostgreSQL, _seq); a versão atual tem __END_AT NULL, e um cliente apagado tem a sua última versão fechada.
# Um TRUNCATE da tabela da loja não apaga o histórico dos clientes: a dimensão o ignora (o SCD tipo 2 não aplica
# truncates, e a linha de um truncate não tem id_cliente).
materialized: apply_changes
keys: [id_cliente]
sequence_by: _seq
apply_as_deletes: _op = 'delete'
stored_as_scd_type: 2
except_columns: [_op, _seq, _lsn, _commit_ts, _xid, _old, _ingestion_timestamp, _batch_id, _source, _source_file]
description: Clientes com o histórico de cada um (SCD tipo 2); a versão atual é a de __END_AT NULL
tags: [gold, dimensao]
columns:
  id_cliente: Identificador do cliente
  nome: Nome do cliente
  email: E-mail do cliente
  cidade: Cidade do cliente nesta versão
  estado: Estado (UF) do cliente nesta versão
  criado_em: Quando o cliente foi cadastrado
  atualizado_em: Quando esta versão foi gravada pela loja (o relógio da aplicação)
  __START_AT: Posição no log do PostgreSQL da mudança que abriu esta versão
  __END_AT: Posição da mudança que a fechou (outra versão ou o delete); NULL na versão atual
--- */
SELECT * FROM bronze.customers WHERE _op <> 'truncate'
