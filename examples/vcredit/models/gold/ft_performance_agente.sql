/* ---
materialized: delete_insert
window: data_referencia >= (SELECT max(data_referencia) FROM gold.ft_atendimento_geral) - 7
partition_by: data_referencia
description: Desempenho diário de cada atendente (volume, TMA, FCR, SLA, CSAT, NPS), com as contagens que somam entre dias; os últimos 7 dias de dados são recalculados a cada execução
tags: [gold, fato, kpi, atendente]
columns:
  data_referencia: Dia da abertura dos chamados
  id_atendente: Atendente ('desconhecido' no nome quando órfão)
  chamados_atendidos: Chamados atribuídos ao atendente
  tma_minutos: Tempo médio de atendimento, em minutos
  fcr_pct: Percentual dos resolvidos que foram resolvidos no primeiro contato
  sla_pct: Percentual dos resolvidos dentro do SLA da prioridade
  csat_medio: Média do CSAT (1 a 5) das pesquisas respondidas
  nps: Percentual de promotores (9-10) menos percentual de detratores (0-6)
tests:
  - unique: [data_referencia, id_atendente]
  - not_null: [data_referencia, id_atendente, chamados_atendidos]
--- */
SELECT
    f.data_referencia,
    f.id_atendente,
    coalesce(a.nome, 'desconhecido') AS atendente,
    coalesce(a.equipe, 'desconhecida') AS equipe,
    coalesce(a.supervisor, 'desconhecido') AS supervisor,
    count(*) AS chamados_atendidos,
    count(*) FILTER (WHERE f.status = 'resolvido') AS chamados_resolvidos,
    count(*) FILTER (WHERE f.resolvido_primeiro_contato) AS chamados_primeiro_contato,
    count(f.sla_cumprido) AS chamados_sla_avaliados,
    count(*) FILTER (WHERE f.sla_cumprido) AS chamados_sla_cumprido,
    -- Sums as DECIMAL(18, 2) and BIGINT, not sum()'s 128-bit types: see custos in ft_atendimento_geral.
    CAST(coalesce(sum(f.tma_minutos), 0) AS DECIMAL(18, 2)) AS minutos_atendimento,
    CAST(avg(f.tma_minutos) AS DECIMAL(12, 2)) AS tma_minutos,
    CAST(100.0 * count(*) FILTER (WHERE f.resolvido_primeiro_contato)
         / nullif(count(*) FILTER (WHERE f.status = 'resolvido'), 0) AS DECIMAL(5, 1)) AS fcr_pct,
    CAST(100.0 * count(*) FILTER (WHERE f.sla_cumprido) / nullif(count(f.sla_cumprido), 0) AS DECIMAL(5, 1)) AS sla_pct,
    count(f.nota_csat) AS respostas_csat,
    CAST(coalesce(sum(f.nota_csat), 0) AS BIGINT) AS soma_csat,
    CAST(avg(f.nota_csat) AS DECIMAL(4, 2)) AS csat_medio,
    count(f.nota_nps) AS respostas_nps,
    count(*) FILTER (WHERE f.nota_nps >= 9) AS promotores,
    count(*) FILTER (WHERE f.nota_nps <= 6) AS detratores,
    CAST(100.0 * (count(*) FILTER (WHERE f.nota_nps >= 9) - count(*) FILTER (WHERE f.nota_nps <= 6))
         / nullif(count(f.nota_nps), 0) AS DECIMAL(5, 1)) AS nps
FROM gold.ft_atendimento_geral AS f
LEFT JOIN gold.dm_atendente AS a ON a.id_atendente = f.id_atendente
GROUP BY f.data_referencia, f.id_atendente, a.nome, a.equipe, a.supervisor
