using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Quality;

/// <summary>Expectations through the runner: run records, a "warning" model run, and a failing gold rule that blocks what depends on it.</summary>
public sealed class QualityRunTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public QualityRunTests()
    {
        _folder
            .Write("alquimia.yml", "name: teste\nquality:\n  max_invalid_ratio: 0.2\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n")
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10.5\n2,-3\n3,20\n")
            .Write("models/silver/tb_pedido.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: _ingestion_timestamp
                expectations:
                  valor_nao_negativo: valor >= 0
                --- */
                SELECT id_pedido, valor, _ingestion_timestamp FROM bronze.pedidos
                """)
            .Write("models/gold/ft_total.sql", "/* ---\nexpectations:\n  total_ate_mil: total <= 1000\n--- */\nSELECT sum(valor) AS total FROM silver.tb_pedido")
            .Write("models/curated/vw_total.sql", "/* ---\nmaterialized: view\n--- */\nSELECT * FROM gold.ft_total");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_QuarantinesSilverRows_AndMarksTheModelRunWarningPastTheProjectThreshold()
    {
        var project = _folder.Load();

        var summary = await Runs.RunAsync(project, new RunOptions());

        Assert.True(summary.Succeeded);
        var silver = summary.Steps.Single(step => step.Model == "silver.tb_pedido");
        Assert.Equal(RunStatus.Warning, silver.Status);
        Assert.StartsWith("33.3% of the rows are invalid (1 quarantined, 0 dropped of 3), past max_invalid_ratio 0.2", silver.Warning, StringComparison.Ordinal);
        Assert.Equal(["1", "3"], Query("SELECT id_pedido FROM silver.tb_pedido ORDER BY 1"));
        Assert.Equal(["2|False"], Query("SELECT id_pedido, valor_nao_negativo FROM silver.tb_pedido_invalidos"));
        Assert.Equal(["warning|3|1|0|0"], Query("SELECT status, rows_checked, rows_quarantined, rows_dropped, rows_warned FROM _alquimia.model_runs WHERE model = 'silver.tb_pedido'"));
        Assert.Equal(["30.5"], Query("SELECT total FROM curated.vw_total"));
    }

    [Fact]
    public async Task Run_AFailingGoldRule_KeepsTheOldTable_AndSkipsWhatDependsOnIt()
    {
        var project = _folder.Load();
        await Runs.RunAsync(project, new RunOptions());
        _folder.Write("lake/landing/loja/pedidos/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n4,5000\n");

        var summary = await Runs.RunAsync(project, new RunOptions());

        Assert.False(summary.Succeeded);
        var gold = summary.Steps.Single(step => step.Model == "gold.ft_total");
        Assert.Equal(RunStatus.Failed, gold.Status);
        Assert.Equal(1, gold.Attempt);
        Assert.Contains("expectation 'total_ate_mil' failed on 1 of 1 rows", gold.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Skipped, summary.Steps.Single(step => step.Model == "curated.vw_total").Status);
        Assert.Equal(["30.5"], Query("SELECT total FROM gold.ft_total"));
        Assert.Equal(["1", "3", "4"], Query("SELECT id_pedido FROM silver.tb_pedido ORDER BY 1"));
        // The rollback took the results written with the build; they are recorded after it.
        Assert.Equal(["total_ate_mil|fail|1|1|[5030.5]"], Query($"SELECT rule, action, rows_checked, rows_failed, CAST(sample_keys AS VARCHAR) FROM _alquimia.quality_results WHERE model = 'gold.ft_total' AND run_id = '{summary.Run.RunId}'"));
    }

    [Fact]
    public async Task Run_AnErrorSeverityTest_RollsTheBuildBack_AndAWarnOneMarksTheRunWarning()
    {
        _folder.Write("models/gold/ft_total.sql", """
            /* ---
            tests:
              - row_count_between: {max: 1}
              - expression: {name: total_redondo, sql: "SELECT total FROM gold.ft_total WHERE total <> round(total)", severity: warn}
            --- */
            SELECT sum(valor) AS total FROM silver.tb_pedido
            """);
        var project = _folder.Load();
        var first = await Runs.RunAsync(project, new RunOptions());
        _folder.Write("models/gold/ft_total.sql", """
            /* ---
            tests:
              - row_count_between: {max: 1}
            --- */
            SELECT valor AS total FROM silver.tb_pedido
            """);

        var second = await Runs.RunAsync(_folder.Load(), new RunOptions());

        var warned = first.Steps.Single(step => step.Model == "gold.ft_total");
        Assert.Equal(RunStatus.Warning, warned.Status);
        Assert.Equal("test total_redondo failed on 1 of 1 rows (e.g. 30.5)", warned.Warning);
        var failed = second.Steps.Single(step => step.Model == "gold.ft_total");
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("test row_count_between failed on 1 of 2 rows (e.g. 2)", failed.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Skipped, second.Steps.Single(step => step.Model == "curated.vw_total").Status);
        Assert.Equal(["30.5"], Query("SELECT total FROM gold.ft_total"));
    }

    [Fact]
    public async Task Setup_CreatesTheQuarantineTableEmpty_AndTheFirstRunFillsIt()
    {
        var project = _folder.Load();

        Runs.Setup(project);
        var empty = Query("SELECT count(*), string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) FROM duckdb_columns() WHERE table_name = 'tb_pedido_invalidos'");
        await Runs.RunAsync(project, new RunOptions());

        Assert.Equal(["7|id_pedido BIGINT, valor DOUBLE, _ingestion_timestamp TIMESTAMP, valor_nao_negativo BOOLEAN, _failed_rules VARCHAR[], _run_id VARCHAR, _quarantined_at TIMESTAMP WITH TIME ZONE"], empty);
        Assert.Equal(["2|[valor_nao_negativo]"], Query("SELECT id_pedido, CAST(_failed_rules AS VARCHAR) FROM silver.tb_pedido_invalidos"));
    }

    [Fact]
    public async Task Run_AnIncrementalBatch_IsTestedOnTheRowsItWrote_WhileAlquimiaTestReadsTheWholeTable()
    {
        _folder
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,valor,cupom,criado_em\n1,10.5,,2026-01-01 08:00\n2,5,PROMO,2026-01-01 09:00\n")
            .Write("models/silver/tb_pedido.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: criado_em
                tests:
                  - not_null: {columns: cupom, severity: warn}
                --- */
                SELECT id_pedido, valor, cupom, criado_em FROM bronze.pedidos
                """);
        var first = await Runs.RunAsync(_folder.Load(), new RunOptions());
        _folder.Write("lake/landing/loja/pedidos/ingestion_date=2026-01-02/b.csv", "id_pedido,valor,cupom,criado_em\n3,20,NATAL,2026-01-02 08:00\n");

        var second = await Runs.RunAsync(_folder.Load(), new RunOptions());
        var wholeTable = Runs.Tests(_folder.Load(), "silver.tb_pedido");

        Assert.Equal("test not_null(cupom) failed on 1 of 2 rows (e.g. 1)", first.Steps.Single(step => step.Model == "silver.tb_pedido").Warning);
        // The second batch read from its watermark, 2026-01-01 09:00, on, and wrote pedido 3 alone: pedido 2 had not
        // changed. Its tests read the row it wrote.
        Assert.Equal(RunStatus.Succeeded, second.Steps.Single(step => step.Model == "silver.tb_pedido").Status);
        Assert.Equal(["1|0"], Query($"SELECT rows_checked, rows_failed FROM _alquimia.quality_results WHERE run_id = '{second.Run.RunId}' AND rule = 'not_null(cupom)'"));
        Assert.Equal("not_null(cupom)|1/3", wholeTable.Models.Single().Outcomes.Select(outcome => $"{outcome.Test.Name}|{outcome.RowsFailed}/{outcome.RowsChecked}").Single());
    }

    [Fact]
    public async Task Test_ATestThatCannotRun_IsReported_AndTheOtherModelsAreStillTested()
    {
        _folder.Write("models/curated/vw_total.sql", "/* ---\nmaterialized: view\ntests:\n  - not_null: total\n--- */\nSELECT * FROM gold.ft_total");
        await Runs.RunAsync(_folder.Load(), new RunOptions());
        _folder.Write("models/gold/ft_total.sql", """
            /* ---
            tests:
              - expression: {name: coluna_sumida, sql: "SELECT coluna_que_nao_existe FROM gold.ft_total"}
            --- */
            SELECT sum(valor) AS total FROM silver.tb_pedido
            """);

        var report = Runs.Tests(_folder.Load());

        Assert.True(report.Failed);
        Assert.Equal(["gold.ft_total|True|0", "curated.vw_total|False|1"], report.Models.Select(model => $"{model.Model}|{model.Error is not null || model.Missing}|{model.Outcomes.Count}"));
        Assert.False(report.Models[1].Outcomes.Single().Failed);
    }

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
