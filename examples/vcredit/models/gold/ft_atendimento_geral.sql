/* ---
materialized: incremental
unique_key: id_chamado
watermark: _loaded_at
partition_by: data_referencia
description: Fato de atendimento, uma linha por chamado com seus KPIs (TMA, primeira resposta, resolução no primeiro contato, SLA por prioridade, CSAT/NPS da pesquisa, custo total); os atributos de canal, motivo, atendente e cliente ficam nas dimensões, ligadas pelas chaves (id_canal, id_motivo, id_atendente, id_cliente), e valem sempre como estão hoje
tags: [gold, fato, kpi]
columns:
  id_chamado: Chave do chamado
  data_referencia: Dia da abertura do chamado
  id_canal: Canal de entrada (gold.dm_canal)
  id_motivo: Motivo do contato (gold.dm_motivo)
  id_atendente: Atendente responsável (gold.dm_atendente)
  id_cliente: Cliente que abriu o chamado (gold.dm_cliente)
  status: aberto, em_atendimento, resolvido, cancelado (ou um status desconhecido vindo da origem)
  tma_minutos: Tempo médio de atendimento do chamado, em minutos (tempo efetivo de atendimento)
  primeira_resposta_minutos: Minutos entre a abertura e a primeira resposta
  tempo_resolucao_horas: Horas entre a abertura e o encerramento (nulo se aberto ou encerrado antes de abrir)
  sla_horas: SLA da prioridade (alta 4, media 24, baixa 72)
  sla_cumprido: Resolvido dentro do SLA; nulo se não resolvido ou com datas inválidas
  resolvido_primeiro_contato: Resolvido em um único contato e sem transferência
  nota_csat: CSAT da pesquisa (1 a 5; nulo sem pesquisa ou com nota fora da faixa)
  nota_nps: Nota NPS da pesquisa (0 a 10; nulo sem pesquisa ou com nota fora da faixa)
  categoria_nps: promotor (9-10), neutro (7-8) ou detrator (0-6)
  custo_total: Soma dos custos lançados para o chamado (R$)
  atualizado_em: Última alteração do chamado na origem
  _loaded_at: Quando o Alquimia gravou a linha; a carga incremental relê os chamados cujas linhas no silver (o chamado, seus custos, eventos ou pesquisas) foram gravadas desde a carga anterior
tests:
  - unique: id_chamado
  - not_null: [id_chamado, data_referencia, custo_total, qtd_contatos]
  - relationships: {column: id_canal, to: gold.dm_canal}
  - relationships: {column: id_motivo, to: gold.dm_motivo}
  - relationships: {column: id_atendente, to: gold.dm_atendente}
  - relationships: {column: id_cliente, to: gold.dm_cliente}
  - expression: {name: custo_nao_negativo, sql: "SELECT id_chamado FROM gold.ft_atendimento_geral WHERE custo_total < 0"}
--- */
WITH
-- Costs, surveys and events are aggregated per chamado, then joined. On an incremental build (is_incremental()) the
-- fact reads the chamados of lote: those with a row written into silver since its last build (_loaded_at past
-- watermark_lower_bound(), the start of that build's run), be it the chamado itself or one of its costs, events or
-- surveys. Rows released from the quarantine are among them, however old their atualizado_em. Every aggregate reads
-- only lote's chamados, and the engine keeps the batch by _loaded_at, the latest stamp of the chamado's rows. On a
-- full build the aggregates read everything, and lote, bounded by NULL, is empty and never scanned: both functions
-- are constants the optimizer folds. The dimensions' attributes (canal, equipe, segmento...) are not copied here: a
-- chamado not in the batch would keep the equipe its atendente had when it was last written, and a full refresh
-- would give another. Dashboards join the dimensions by key.
lote AS (
    SELECT id_chamado FROM silver.tb_chamado WHERE _loaded_at > watermark_lower_bound()
    UNION
    SELECT id_chamado FROM silver.tb_custo_chamado WHERE _loaded_at > watermark_lower_bound()
    UNION
    SELECT id_chamado FROM silver.tb_chamado_log WHERE _loaded_at > watermark_lower_bound()
    UNION
    SELECT id_chamado FROM silver.tb_pesquisa WHERE _loaded_at > watermark_lower_bound()
),
base AS (
    SELECT
        c.*,
        CASE c.prioridade WHEN 'alta' THEN 4 WHEN 'media' THEN 24 WHEN 'baixa' THEN 72 END AS sla_horas,
        c.encerrado_em >= c.aberto_em AS datas_validas
    FROM silver.tb_chamado AS c
    WHERE NOT is_incremental() OR c.id_chamado IN (SELECT id_chamado FROM lote)
),
custos AS (
    -- DECIMAL(18, 2), not the DECIMAL(38, 2) sum() returns: DuckDB stores the latter as 128-bit integers, slow to
    -- read back (10M rows: 2.1 s for max(custo_total) against 0.02 s), and every merge and test reads this column.
    SELECT id_chamado, CAST(sum(valor) AS DECIMAL(18, 2)) AS custo_total, count(*) AS qtd_lancamentos_custo, max(_loaded_at) AS _loaded_at
    FROM silver.tb_custo_chamado
    WHERE NOT is_incremental() OR id_chamado IN (SELECT id_chamado FROM lote)
    GROUP BY id_chamado
),
pesquisas AS (
    -- The latest survey of the chamado (unanswered ones last). A score out of range counts as no score.
    SELECT
        id_chamado,
        arg_max_null(CASE WHEN nota_csat BETWEEN 1 AND 5 THEN nota_csat END, (respondida_em IS NOT NULL, respondida_em, id_pesquisa)) AS nota_csat,
        arg_max_null(CASE WHEN nota_nps BETWEEN 0 AND 10 THEN nota_nps END, (respondida_em IS NOT NULL, respondida_em, id_pesquisa)) AS nota_nps,
        max(_loaded_at) AS _loaded_at
    FROM silver.tb_pesquisa
    WHERE NOT is_incremental() OR id_chamado IN (SELECT id_chamado FROM lote)
    GROUP BY id_chamado
),
eventos AS (
    SELECT
        id_chamado,
        count(*) FILTER (WHERE evento = 'transferido') AS qtd_transferencias,
        count(*) FILTER (WHERE evento = 'escalado') AS qtd_escalonamentos,
        max(_loaded_at) AS _loaded_at
    FROM silver.tb_chamado_log
    WHERE NOT is_incremental() OR id_chamado IN (SELECT id_chamado FROM lote)
    GROUP BY id_chamado
)
SELECT
    b.id_chamado,
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
    CAST(b.duracao_atendimento_seg / 60.0 AS DECIMAL(12, 2)) AS tma_minutos,
    CAST(date_diff('second', b.aberto_em, b.primeira_resposta_em) / 60.0 AS DECIMAL(12, 2)) AS primeira_resposta_minutos,
    CASE WHEN b.datas_validas THEN CAST(date_diff('second', b.aberto_em, b.encerrado_em) / 3600.0 AS DECIMAL(12, 2)) END
        AS tempo_resolucao_horas,
    b.sla_horas,
    CASE WHEN b.status = 'resolvido' AND b.datas_validas
         THEN b.encerrado_em <= b.aberto_em + to_hours(b.sla_horas) END AS sla_cumprido,
    b.status = 'resolvido' AND b.qtd_contatos = 1 AND coalesce(e.qtd_transferencias, 0) = 0 AS resolvido_primeiro_contato,
    b.qtd_contatos,
    coalesce(e.qtd_transferencias, 0) AS qtd_transferencias,
    coalesce(e.qtd_escalonamentos, 0) AS qtd_escalonamentos,
    p.nota_csat,
    p.nota_nps,
    CASE WHEN p.nota_nps >= 9 THEN 'promotor' WHEN p.nota_nps >= 7 THEN 'neutro' WHEN p.nota_nps >= 0 THEN 'detrator' END
        AS categoria_nps,
    coalesce(cu.custo_total, 0) AS custo_total,
    coalesce(cu.qtd_lancamentos_custo, 0) AS qtd_lancamentos_custo,
    b.atualizado_em,
    greatest(b._loaded_at, cu._loaded_at, p._loaded_at, e._loaded_at) AS _loaded_at
FROM base AS b
LEFT JOIN custos AS cu ON cu.id_chamado = b.id_chamado
LEFT JOIN pesquisas AS p ON p.id_chamado = b.id_chamado
LEFT JOIN eventos AS e ON e.id_chamado = b.id_chamado
