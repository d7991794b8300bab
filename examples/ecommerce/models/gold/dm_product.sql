/* ---
# A dimensão de produtos, como dm_customer: SCD tipo 2 do feed de CDC de bronze.products. Um novo preço ou uma nova
# categoria abre uma versão nova.
# Como em dm_customer, um TRUNCATE da tabela da loja não apaga o histórico.
materialized: apply_changes
keys: [id_produto]
sequence_by: _seq
apply_as_deletes: _op = 'delete'
stored_as_scd_type: 2
except_columns: [_op, _seq, _lsn, _commit_ts, _xid, _old, _ingestion_timestamp, _batch_id, _source, _source_file]
description: Produtos com o histórico de cada um (SCD tipo 2); a versão atual é a de __END_AT NULL
tags: [gold, dimensao]
columns:
  id_produto: Identificador do produto
  nome: Nome do produto
  categoria: Categoria do produto nesta versão
  preco: Preço de tabela nesta versão
  criado_em: Quando o produto foi cadastrado
  atualizado_em: Quando esta versão foi gravada pela loja (o relógio da aplicação)
  __START_AT: Posição no log do PostgreSQL da mudança que abriu esta versão
  __END_AT: Posição da mudança que a fechou (outra versão ou o delete); NULL na versão atual
--- */
SELECT * FROM bronze.products WHERE _op <> 'truncate'
