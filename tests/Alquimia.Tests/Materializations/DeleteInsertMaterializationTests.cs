using Alquimia.Projects;

namespace Alquimia.Tests.Materializations;

public sealed class DeleteInsertMaterializationTests : IDisposable
{
    private readonly MaterializationFixture _warehouse = new();

    // Seed 004's strategy: the last 7 days of data are deleted and inserted again on every run.
    private static readonly ModelDefinition CustoDiario = MaterializationFixture.Model(
        "gold.ft_custo_diario",
        "SELECT data_referencia, sum(valor) AS custo_total FROM silver.tb_custo GROUP BY data_referencia",
        new ModelConfig
        {
            Materialized = MaterializationKind.DeleteInsert,
            Window = "data_referencia >= DATE '2026-01-20' - 7",
        });

    public DeleteInsertMaterializationTests()
    {
        _warehouse.Execute("""
            CREATE TABLE silver.tb_custo AS
            SELECT DATE '2026-01-01' + CAST(i AS INTEGER) AS data_referencia, 10.0 AS valor FROM range(20) t(i)
            """);
    }

    public void Dispose() => _warehouse.Dispose();

    [Fact]
    public void DeleteInsert_ReplacesOnlyTheWindow()
    {
        _warehouse.Build(CustoDiario);
        // A correction inside the window and one outside it: only the first is picked up.
        _warehouse.Execute("UPDATE silver.tb_custo SET valor = 99 WHERE data_referencia IN (DATE '2026-01-18', DATE '2026-01-02')");

        var result = _warehouse.Build(CustoDiario);

        Assert.Equal((8, 8), (result.RowsInserted, result.RowsDeleted));
        Assert.Equal(["2026-01-02|10.0", "2026-01-18|99.0"], _warehouse.Rows(
            "SELECT strftime(data_referencia, '%Y-%m-%d'), custo_total FROM gold.ft_custo_diario WHERE data_referencia IN ('2026-01-02', '2026-01-18') ORDER BY 1"));
        Assert.Equal(["20"], _warehouse.Rows("SELECT count(*) FROM gold.ft_custo_diario"));
        // The data tests of this build read the window's 8 days.
        Assert.Equal(["8"], _warehouse.Rows($"SELECT count(*) FROM gold.ft_custo_diario WHERE {result.WrittenRows}"));
    }

    [Fact]
    public void DeleteInsert_Retention_DeletesRowsOlderThanItKeepsCountedFromTheRunDate()
    {
        _warehouse.Execute("""
            CREATE TABLE silver.tb_metrica AS
            SELECT DATE '2026-01-15' - CAST(dias AS INTEGER) AS data_referencia, 1.0 AS valor FROM (VALUES (100), (10), (3)) t(dias)
            """);
        var metricas = MaterializationFixture.Model(
            "gold.crm_metrics_daily",
            "SELECT data_referencia, sum(valor) AS total FROM silver.tb_metrica GROUP BY ALL",
            new ModelConfig
            {
                Materialized = MaterializationKind.DeleteInsert,
                Window = "data_referencia >= run_date() - 7",
                Retention = new RetentionPolicy("data_referencia", "90 days"),
            });

        var first = _warehouse.Build(metricas);
        _warehouse.Execute("INSERT INTO silver.tb_metrica SELECT DATE '2026-01-15' - 95, 1.0");
        var second = _warehouse.Build(metricas);

        Assert.Equal((3, 1), (first.RowsInserted, first.RowsDeleted));
        // The window (last 7 days) is replaced; the late row 95 days old is outside both window and retention's keep.
        Assert.Equal((1, 1), (second.RowsInserted, second.RowsDeleted));
        Assert.Equal(["3", "10"], _warehouse.Rows("SELECT DATE '2026-01-15' - data_referencia FROM gold.crm_metrics_daily ORDER BY 1"));
    }

    [Fact]
    public void DeleteInsert_WindowOfTheRunDate_BackfillsAMissedDayWithoutTouchingTheOthers()
    {
        // Seed 004: one row per day; the day 2026-01-12 was missed and its source row corrected since.
        _warehouse.Execute("""
            CREATE TABLE silver.tb_metrica AS
            SELECT DATE '2026-01-10' + CAST(dia AS INTEGER) AS data_referencia, 1.0 AS valor FROM range(6) t(dia)
            """);
        var metricas = MaterializationFixture.Model(
            "gold.crm_metrics_daily",
            "SELECT data_referencia, sum(valor) AS total, run_date() AS calculado_para FROM silver.tb_metrica WHERE data_referencia <= run_date() GROUP BY ALL",
            new ModelConfig { Materialized = MaterializationKind.DeleteInsert, Window = "data_referencia = run_date()" });
        _warehouse.RunDate = new DateOnly(2026, 1, 11);
        _warehouse.Build(metricas);
        _warehouse.Execute("UPDATE silver.tb_metrica SET valor = 5.0 WHERE data_referencia = DATE '2026-01-12'");

        _warehouse.RunDate = new DateOnly(2026, 1, 12);
        var backfill = _warehouse.Build(metricas);

        Assert.Equal((1, 0), (backfill.RowsInserted, backfill.RowsDeleted));
        Assert.Equal(
            ["2026-01-10 1.0 2026-01-11", "2026-01-11 1.0 2026-01-11", "2026-01-12 5.0 2026-01-12"],
            _warehouse.Rows("SELECT concat_ws(' ', data_referencia, total, calculado_para) FROM gold.crm_metrics_daily ORDER BY data_referencia"));
    }
}
