-- gold.ft_atendimento_geral, written by `alquimia deploy databricks` from models/gold/ft_atendimento_geral.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

DECLARE OR REPLACE VARIABLE alquimia_watermark TIMESTAMP_NTZ;

CREATE TABLE IF NOT EXISTS gold.ft_atendimento_geral
USING DELTA
CLUSTER BY (data_referencia)
COMMENT 'Fato de atendimento, uma linha por chamado com seus KPIs (TMA, primeira resposta, resolução no primeiro contato, SLA por prioridade, CSAT/NPS da pesquisa, custo total); os atributos de canal, motivo, atendente e cliente ficam nas dimensões, ligadas pelas chaves (id_canal, id_motivo, id_atendente, id_cliente), e valem sempre como estão hoje'
AS
SELECT model.id_chamado, model.protocolo, model.data_referencia, model.id_cliente, model.id_atendente, model.id_canal, model.id_motivo, model.prioridade, model.status, model.encerrado, model.aberto_em, model.primeira_resposta_em, model.encerrado_em, model.tma_minutos, model.primeira_resposta_minutos, model.tempo_resolucao_horas, model.sla_horas, model.sla_cumprido, model.resolvido_primeiro_contato, model.qtd_contatos, model.qtd_transferencias, model.qtd_escalonamentos, model.nota_csat, model.nota_nps, model.categoria_nps, model.custo_total, model.qtd_lancamentos_custo, model.atualizado_em, CAST(current_timestamp() AS TIMESTAMP_NTZ) AS _loaded_at
FROM (
WITH lote AS (
SELECT id_chamado
FROM silver.tb_chamado
WHERE _loaded_at > alquimia_watermark
UNION
SELECT id_chamado
FROM silver.tb_custo_chamado
WHERE _loaded_at > alquimia_watermark
UNION
SELECT id_chamado
FROM silver.tb_chamado_log
WHERE _loaded_at > alquimia_watermark
UNION
SELECT id_chamado
FROM silver.tb_pesquisa
WHERE _loaded_at > alquimia_watermark
),
base AS (
SELECT c.*,
       CASE WHEN c.prioridade = 'alta' THEN 4 WHEN c.prioridade = 'media' THEN 24 WHEN c.prioridade = 'baixa' THEN 72 END AS sla_horas,
       c.encerrado_em >= c.aberto_em AS datas_validas
FROM silver.tb_chamado AS c
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR c.id_chamado IN (
SELECT id_chamado
FROM lote
))
),
custos AS (
SELECT id_chamado,
       CAST(sum(valor) AS DECIMAL(18, 2)) AS custo_total,
       count(*) AS qtd_lancamentos_custo,
       max(_loaded_at) AS _loaded_at
FROM silver.tb_custo_chamado
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR id_chamado IN (
SELECT id_chamado
FROM lote
))
GROUP BY id_chamado
),
pesquisas AS (
SELECT id_chamado,
       max_by(CASE WHEN nota_csat BETWEEN 1 AND 5 THEN nota_csat END, struct(respondida_em IS NOT NULL, respondida_em, id_pesquisa)) AS nota_csat,
       max_by(CASE WHEN nota_nps BETWEEN 0 AND 10 THEN nota_nps END, struct(respondida_em IS NOT NULL, respondida_em, id_pesquisa)) AS nota_nps,
       max(_loaded_at) AS _loaded_at
FROM silver.tb_pesquisa
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR id_chamado IN (
SELECT id_chamado
FROM lote
))
GROUP BY id_chamado
),
eventos AS (
SELECT id_chamado,
       count(*) FILTER (WHERE evento = 'transferido') AS qtd_transferencias,
       count(*) FILTER (WHERE evento = 'escalado') AS qtd_escalonamentos,
       max(_loaded_at) AS _loaded_at
FROM silver.tb_chamado_log
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR id_chamado IN (
SELECT id_chamado
FROM lote
))
GROUP BY id_chamado
)
SELECT b.id_chamado,
       b.protocolo,
       b.data_abertura AS data_referencia,
       b.id_cliente,
       b.id_atendente,
       b.id_canal,
       b.id_motivo,
       b.prioridade,
       b.status,
       b.status IN ('resolvido', 'cancelado') AS encerrado,
       b.aberto_em,
       b.primeira_resposta_em,
       b.encerrado_em,
       CAST(try_divide(b.duracao_atendimento_seg, 60.0BD) AS DECIMAL(12, 2)) AS tma_minutos,
       CAST(try_divide(timestampdiff(SECOND, b.aberto_em, b.primeira_resposta_em), 60.0BD) AS DECIMAL(12, 2)) AS primeira_resposta_minutos,
       CASE WHEN b.datas_validas THEN CAST(try_divide(timestampdiff(SECOND, b.aberto_em, b.encerrado_em), 3600.0BD) AS DECIMAL(12, 2)) END AS tempo_resolucao_horas,
       b.sla_horas,
       CASE WHEN (b.status = 'resolvido' AND b.datas_validas) THEN b.encerrado_em <= (b.aberto_em + make_dt_interval(0, b.sla_horas, 0, 0)) END AS sla_cumprido,
       (b.status = 'resolvido' AND b.qtd_contatos = 1 AND coalesce(e.qtd_transferencias, 0) = 0) AS resolvido_primeiro_contato,
       b.qtd_contatos,
       coalesce(e.qtd_transferencias, 0) AS qtd_transferencias,
       coalesce(e.qtd_escalonamentos, 0) AS qtd_escalonamentos,
       p.nota_csat,
       p.nota_nps,
       CASE WHEN p.nota_nps >= 9 THEN 'promotor' WHEN p.nota_nps >= 7 THEN 'neutro' WHEN p.nota_nps >= 0 THEN 'detrator' END AS categoria_nps,
       coalesce(cu.custo_total, 0) AS custo_total,
       coalesce(cu.qtd_lancamentos_custo, 0) AS qtd_lancamentos_custo,
       b.atualizado_em,
       greatest(b._loaded_at, cu._loaded_at, p._loaded_at, e._loaded_at) AS _loaded_at
FROM base AS b
LEFT JOIN custos AS cu ON cu.id_chamado = b.id_chamado
LEFT JOIN pesquisas AS p ON p.id_chamado = b.id_chamado
LEFT JOIN eventos AS e ON e.id_chamado = b.id_chamado
) AS model
WHERE false;

SET VAR alquimia_watermark = (SELECT max(_loaded_at) FROM gold.ft_atendimento_geral);

MERGE INTO gold.ft_atendimento_geral AS target
USING (
SELECT * FROM (
SELECT *, row_number() OVER (PARTITION BY id_chamado ORDER BY _loaded_at DESC NULLS LAST, xxhash64(protocolo, data_referencia, id_cliente, id_atendente, id_canal, id_motivo, prioridade, status, encerrado, aberto_em, primeira_resposta_em, encerrado_em, tma_minutos, primeira_resposta_minutos, tempo_resolucao_horas, sla_horas, sla_cumprido, resolvido_primeiro_contato, qtd_contatos, qtd_transferencias, qtd_escalonamentos, nota_csat, nota_nps, categoria_nps, custo_total, qtd_lancamentos_custo, atualizado_em)) AS alquimia_version
FROM (
SELECT * FROM (
WITH lote AS (
SELECT id_chamado
FROM silver.tb_chamado
WHERE _loaded_at > alquimia_watermark
UNION
SELECT id_chamado
FROM silver.tb_custo_chamado
WHERE _loaded_at > alquimia_watermark
UNION
SELECT id_chamado
FROM silver.tb_chamado_log
WHERE _loaded_at > alquimia_watermark
UNION
SELECT id_chamado
FROM silver.tb_pesquisa
WHERE _loaded_at > alquimia_watermark
),
base AS (
SELECT c.*,
       CASE WHEN c.prioridade = 'alta' THEN 4 WHEN c.prioridade = 'media' THEN 24 WHEN c.prioridade = 'baixa' THEN 72 END AS sla_horas,
       c.encerrado_em >= c.aberto_em AS datas_validas
FROM silver.tb_chamado AS c
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR c.id_chamado IN (
SELECT id_chamado
FROM lote
))
),
custos AS (
SELECT id_chamado,
       CAST(sum(valor) AS DECIMAL(18, 2)) AS custo_total,
       count(*) AS qtd_lancamentos_custo,
       max(_loaded_at) AS _loaded_at
FROM silver.tb_custo_chamado
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR id_chamado IN (
SELECT id_chamado
FROM lote
))
GROUP BY id_chamado
),
pesquisas AS (
SELECT id_chamado,
       max_by(CASE WHEN nota_csat BETWEEN 1 AND 5 THEN nota_csat END, struct(respondida_em IS NOT NULL, respondida_em, id_pesquisa)) AS nota_csat,
       max_by(CASE WHEN nota_nps BETWEEN 0 AND 10 THEN nota_nps END, struct(respondida_em IS NOT NULL, respondida_em, id_pesquisa)) AS nota_nps,
       max(_loaded_at) AS _loaded_at
FROM silver.tb_pesquisa
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR id_chamado IN (
SELECT id_chamado
FROM lote
))
GROUP BY id_chamado
),
eventos AS (
SELECT id_chamado,
       count(*) FILTER (WHERE evento = 'transferido') AS qtd_transferencias,
       count(*) FILTER (WHERE evento = 'escalado') AS qtd_escalonamentos,
       max(_loaded_at) AS _loaded_at
FROM silver.tb_chamado_log
WHERE (NOT ((alquimia_watermark IS NOT NULL)) OR id_chamado IN (
SELECT id_chamado
FROM lote
))
GROUP BY id_chamado
)
SELECT b.id_chamado,
       b.protocolo,
       b.data_abertura AS data_referencia,
       b.id_cliente,
       b.id_atendente,
       b.id_canal,
       b.id_motivo,
       b.prioridade,
       b.status,
       b.status IN ('resolvido', 'cancelado') AS encerrado,
       b.aberto_em,
       b.primeira_resposta_em,
       b.encerrado_em,
       CAST(try_divide(b.duracao_atendimento_seg, 60.0BD) AS DECIMAL(12, 2)) AS tma_minutos,
       CAST(try_divide(timestampdiff(SECOND, b.aberto_em, b.primeira_resposta_em), 60.0BD) AS DECIMAL(12, 2)) AS primeira_resposta_minutos,
       CASE WHEN b.datas_validas THEN CAST(try_divide(timestampdiff(SECOND, b.aberto_em, b.encerrado_em), 3600.0BD) AS DECIMAL(12, 2)) END AS tempo_resolucao_horas,
       b.sla_horas,
       CASE WHEN (b.status = 'resolvido' AND b.datas_validas) THEN b.encerrado_em <= (b.aberto_em + make_dt_interval(0, b.sla_horas, 0, 0)) END AS sla_cumprido,
       (b.status = 'resolvido' AND b.qtd_contatos = 1 AND coalesce(e.qtd_transferencias, 0) = 0) AS resolvido_primeiro_contato,
       b.qtd_contatos,
       coalesce(e.qtd_transferencias, 0) AS qtd_transferencias,
       coalesce(e.qtd_escalonamentos, 0) AS qtd_escalonamentos,
       p.nota_csat,
       p.nota_nps,
       CASE WHEN p.nota_nps >= 9 THEN 'promotor' WHEN p.nota_nps >= 7 THEN 'neutro' WHEN p.nota_nps >= 0 THEN 'detrator' END AS categoria_nps,
       coalesce(cu.custo_total, 0) AS custo_total,
       coalesce(cu.qtd_lancamentos_custo, 0) AS qtd_lancamentos_custo,
       b.atualizado_em,
       greatest(b._loaded_at, cu._loaded_at, p._loaded_at, e._loaded_at) AS _loaded_at
FROM base AS b
LEFT JOIN custos AS cu ON cu.id_chamado = b.id_chamado
LEFT JOIN pesquisas AS p ON p.id_chamado = b.id_chamado
LEFT JOIN eventos AS e ON e.id_chamado = b.id_chamado
) AS model
WHERE alquimia_watermark IS NULL OR model._loaded_at > alquimia_watermark
) AS versions
) AS ranked
WHERE alquimia_version = 1
) AS batch
ON target.id_chamado <=> batch.id_chamado
WHEN MATCHED AND (NOT (target.protocolo <=> batch.protocolo) OR NOT (target.data_referencia <=> batch.data_referencia) OR NOT (target.id_cliente <=> batch.id_cliente) OR NOT (target.id_atendente <=> batch.id_atendente) OR NOT (target.id_canal <=> batch.id_canal) OR NOT (target.id_motivo <=> batch.id_motivo) OR NOT (target.prioridade <=> batch.prioridade) OR NOT (target.status <=> batch.status) OR NOT (target.encerrado <=> batch.encerrado) OR NOT (target.aberto_em <=> batch.aberto_em) OR NOT (target.primeira_resposta_em <=> batch.primeira_resposta_em) OR NOT (target.encerrado_em <=> batch.encerrado_em) OR NOT (target.tma_minutos <=> batch.tma_minutos) OR NOT (target.primeira_resposta_minutos <=> batch.primeira_resposta_minutos) OR NOT (target.tempo_resolucao_horas <=> batch.tempo_resolucao_horas) OR NOT (target.sla_horas <=> batch.sla_horas) OR NOT (target.sla_cumprido <=> batch.sla_cumprido) OR NOT (target.resolvido_primeiro_contato <=> batch.resolvido_primeiro_contato) OR NOT (target.qtd_contatos <=> batch.qtd_contatos) OR NOT (target.qtd_transferencias <=> batch.qtd_transferencias) OR NOT (target.qtd_escalonamentos <=> batch.qtd_escalonamentos) OR NOT (target.nota_csat <=> batch.nota_csat) OR NOT (target.nota_nps <=> batch.nota_nps) OR NOT (target.categoria_nps <=> batch.categoria_nps) OR NOT (target.custo_total <=> batch.custo_total) OR NOT (target.qtd_lancamentos_custo <=> batch.qtd_lancamentos_custo) OR NOT (target.atualizado_em <=> batch.atualizado_em)) THEN
  UPDATE SET protocolo = batch.protocolo, data_referencia = batch.data_referencia, id_cliente = batch.id_cliente, id_atendente = batch.id_atendente, id_canal = batch.id_canal, id_motivo = batch.id_motivo, prioridade = batch.prioridade, status = batch.status, encerrado = batch.encerrado, aberto_em = batch.aberto_em, primeira_resposta_em = batch.primeira_resposta_em, encerrado_em = batch.encerrado_em, tma_minutos = batch.tma_minutos, primeira_resposta_minutos = batch.primeira_resposta_minutos, tempo_resolucao_horas = batch.tempo_resolucao_horas, sla_horas = batch.sla_horas, sla_cumprido = batch.sla_cumprido, resolvido_primeiro_contato = batch.resolvido_primeiro_contato, qtd_contatos = batch.qtd_contatos, qtd_transferencias = batch.qtd_transferencias, qtd_escalonamentos = batch.qtd_escalonamentos, nota_csat = batch.nota_csat, nota_nps = batch.nota_nps, categoria_nps = batch.categoria_nps, custo_total = batch.custo_total, qtd_lancamentos_custo = batch.qtd_lancamentos_custo, atualizado_em = batch.atualizado_em, _loaded_at = CAST(current_timestamp() AS TIMESTAMP_NTZ)
WHEN NOT MATCHED THEN
  INSERT (id_chamado, protocolo, data_referencia, id_cliente, id_atendente, id_canal, id_motivo, prioridade, status, encerrado, aberto_em, primeira_resposta_em, encerrado_em, tma_minutos, primeira_resposta_minutos, tempo_resolucao_horas, sla_horas, sla_cumprido, resolvido_primeiro_contato, qtd_contatos, qtd_transferencias, qtd_escalonamentos, nota_csat, nota_nps, categoria_nps, custo_total, qtd_lancamentos_custo, atualizado_em, _loaded_at)
  VALUES (batch.id_chamado, batch.protocolo, batch.data_referencia, batch.id_cliente, batch.id_atendente, batch.id_canal, batch.id_motivo, batch.prioridade, batch.status, batch.encerrado, batch.aberto_em, batch.primeira_resposta_em, batch.encerrado_em, batch.tma_minutos, batch.primeira_resposta_minutos, batch.tempo_resolucao_horas, batch.sla_horas, batch.sla_cumprido, batch.resolvido_primeiro_contato, batch.qtd_contatos, batch.qtd_transferencias, batch.qtd_escalonamentos, batch.nota_csat, batch.nota_nps, batch.categoria_nps, batch.custo_total, batch.qtd_lancamentos_custo, batch.atualizado_em, CAST(current_timestamp() AS TIMESTAMP_NTZ));
