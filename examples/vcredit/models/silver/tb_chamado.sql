/* ---
materialized: incremental
unique_key: id_chamado
watermark: _ingestion_timestamp
description: Chamados tipados e limpos a partir de bronze.chamados, uma linha por chamado na versão mais recente (status e prioridade em minúsculas, sem espaços); linhas inválidas (órfãs, encerradas antes de abertas, status desconhecido) não são filtradas aqui, a validação as aponta em tb_chamado_invalidos
tags: [silver, atendimento]
columns:
  id_chamado: Identificador do chamado
  protocolo: Protocolo informado ao cliente
  id_cliente: Cliente que abriu o chamado
  id_atendente: Atendente responsável
  prioridade: alta, media ou baixa
  status: aberto, em_atendimento, resolvido ou cancelado
  aberto_em: Abertura do chamado
  encerrado_em: Encerramento (nulo enquanto aberto)
  data_abertura: Dia da abertura
  atualizado_em: Última alteração do chamado na origem
  _ingestion_timestamp: Quando a versão chegou ao bronze (marca d'água da carga incremental)
expectations:
  id_chamado_presente: id_chamado IS NOT NULL
  # Um id repetido no mesmo lote de ingestão é duplicata da origem. O lote não muda depois de chegar: uma linha em
  # quarentena guarda o resultado (recheck: false), e a regra lê só os lotes novos, não o bronze inteiro.
  id_unico_no_lote:
    expect: id_chamado IS NOT NULL AND _ingestion_timestamp IS NOT NULL AND (id_chamado, _ingestion_timestamp) IN (SELECT (id_chamado, _ingestion_timestamp) FROM bronze.chamados WHERE NOT is_incremental() OR _ingestion_timestamp >= watermark_lower_bound() GROUP BY ALL HAVING count(*) = 1)
    recheck: false
  cliente_existe: id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)
  atendente_existe: id_atendente IS NULL OR id_atendente IN (SELECT id_atendente FROM silver.tb_atendente)
  canal_existe: id_canal IN (SELECT id_canal FROM silver.tb_canal)
  motivo_existe: id_motivo IN (SELECT id_motivo FROM silver.tb_motivo)
  status_valido: status IN ('aberto', 'em_atendimento', 'resolvido', 'cancelado')
  prioridade_valida: prioridade IN ('alta', 'media', 'baixa')
  encerrado_apos_abertura: encerrado_em IS NULL OR encerrado_em >= aberto_em
--- */
SELECT
    CAST(id_chamado AS BIGINT) AS id_chamado,
    upper(trim(protocolo)) AS protocolo,
    CAST(id_cliente AS BIGINT) AS id_cliente,
    CAST(id_atendente AS BIGINT) AS id_atendente,
    CAST(id_canal AS INTEGER) AS id_canal,
    CAST(id_motivo AS INTEGER) AS id_motivo,
    lower(trim(prioridade)) AS prioridade,
    lower(trim(status)) AS status,
    CAST(aberto_em AS TIMESTAMP) AS aberto_em,
    CAST(primeira_resposta_em AS TIMESTAMP) AS primeira_resposta_em,
    CAST(encerrado_em AS TIMESTAMP) AS encerrado_em,
    CAST(duracao_atendimento_seg AS INTEGER) AS duracao_atendimento_seg,
    CAST(qtd_contatos AS INTEGER) AS qtd_contatos,
    CAST(aberto_em AS DATE) AS data_abertura,
    CAST(atualizado_em AS TIMESTAMP) AS atualizado_em,
    _ingestion_timestamp
FROM bronze.chamados
