-- curated.vw_kpis_diarios, written by `alquimia deploy databricks` from models/curated/vw_kpis_diarios.sql.
-- Change that file and deploy again, not this one.

USE CATALOG IDENTIFIER(:catalog);

CREATE OR REPLACE VIEW curated.vw_kpis_diarios
COMMENT 'KPIs diários da central para o dashboard (volume, TMA, primeira resposta, FCR, SLA, CSAT, NPS, custo)'
AS
SELECT data_referencia,
       count(*) AS chamados,
       count(*) FILTER (WHERE status = 'resolvido') AS resolvidos,
       count(*) FILTER (WHERE NOT (encerrado)) AS em_aberto,
       CAST(avg(tma_minutos) AS DECIMAL(12, 2)) AS tma_minutos,
       CAST(avg(primeira_resposta_minutos) AS DECIMAL(12, 2)) AS primeira_resposta_minutos,
       CAST(try_divide((100.0BD * count(*) FILTER (WHERE resolvido_primeiro_contato)), nullif(count(*) FILTER (WHERE status = 'resolvido'), 0)) AS DECIMAL(5, 1)) AS fcr_pct,
       CAST(try_divide((100.0BD * count(*) FILTER (WHERE sla_cumprido)), nullif(count(sla_cumprido), 0)) AS DECIMAL(5, 1)) AS sla_pct,
       CAST(avg(nota_csat) AS DECIMAL(4, 2)) AS csat_medio,
       CAST(try_divide((100.0BD * (count(*) FILTER (WHERE nota_nps >= 9) - count(*) FILTER (WHERE nota_nps <= 6))), nullif(count(nota_nps), 0)) AS DECIMAL(5, 1)) AS nps,
       sum(custo_total) AS custo_total,
       CAST(try_divide(sum(custo_total), count(*)) AS DECIMAL(12, 2)) AS custo_por_chamado
FROM gold.ft_atendimento_geral
GROUP BY data_referencia;
