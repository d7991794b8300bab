using System.Globalization;
using Alquimia.Projects;

namespace Alquimia.Tests.Materializations;

/// <summary>is_incremental() and watermark_lower_bound() as a model's SQL sees them, build after build.</summary>
public sealed class ModelFunctionsTests : IDisposable
{
    private readonly MaterializationFixture _warehouse = new();

    public ModelFunctionsTests()
    {
        _warehouse.Execute("""
            CREATE TABLE bronze.chamados (id_chamado BIGINT, status VARCHAR, atualizado_em TIMESTAMP);
            CREATE TABLE bronze.custos (id_custo BIGINT, id_chamado BIGINT, valor DECIMAL(12, 2));
            """);
    }

    public void Dispose() => _warehouse.Dispose();

    private static ModelConfig Incremental(string watermark, string lookback) =>
        new() { Materialized = MaterializationKind.Incremental, UniqueKey = ["id_chamado"], Watermark = watermark, Lookback = lookback };

    [Fact]
    public void WatermarkLowerBound_IsTheStoredWatermarkMinusTheLookback_TypedLikeTheWatermark_AndNullOnTheFirstBuild()
    {
        var model = MaterializationFixture.Model(
            "silver.tb_chamado",
            "SELECT id_chamado, atualizado_em, CAST(watermark_lower_bound() AS VARCHAR) AS lower_bound, CASE WHEN is_incremental() THEN typeof(watermark_lower_bound()) END AS lower_bound_type FROM bronze.chamados",
            Incremental("atualizado_em", "2 days"));
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-10 10:00')");
        _warehouse.Build(model);
        var firstBuild = _warehouse.Rows("SELECT id_chamado, lower_bound, lower_bound_type FROM silver.tb_chamado ORDER BY 1");
        var stored = _warehouse.Watermark(model.Name)!;
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (2, 'aberto', '2026-01-11 08:00')");

        _warehouse.Build(model);

        Assert.Equal(["1|NULL|NULL"], firstBuild);
        var expected = DateTime.Parse(stored.Value, CultureInfo.InvariantCulture).AddDays(-2).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Equal("2026-01-08 10:00:00", expected);
        // Chamado 1 is inside the lookback, so this build read it again too.
        Assert.Equal([$"1|{expected}|TIMESTAMP", $"2|{expected}|TIMESTAMP"], _warehouse.Rows("SELECT id_chamado, lower_bound, lower_bound_type FROM silver.tb_chamado ORDER BY 1"));
    }

    [Fact]
    public void AModelWithExpectations_SeesThemToo_WhereItsRowsAreChecked()
    {
        // The checked rows are computed on a second connection (ScratchTable): the functions must exist there as well.
        var model = MaterializationFixture.Model(
            "silver.tb_chamado",
            "SELECT id_chamado, status, atualizado_em, is_incremental() AS incremental_build FROM bronze.chamados WHERE NOT is_incremental() OR atualizado_em >= watermark_lower_bound()",
            Incremental("atualizado_em", "1 hour") with { Expectations = [new Expectation("status_valido", "status IN ('aberto', 'resolvido')", ExpectationAction.Quarantine, 3)] });
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-10 08:00'), (2, 'perdido', '2026-01-10 10:00')");
        _warehouse.Build(model);
        _warehouse.Execute("INSERT INTO bronze.chamados VALUES (3, 'resolvido', '2026-01-11 08:00'), (4, 'sumido', '2026-01-11 08:00')");

        _warehouse.Build(model);

        // The second build read from 09:00 on (10:00 minus the hour of lookback): chamado 1 keeps its first build's row.
        Assert.Equal(["1|False", "3|True"], _warehouse.Rows("SELECT id_chamado, incremental_build FROM silver.tb_chamado ORDER BY 1"));
        Assert.Equal(["2|True|False", "4|True|False"], _warehouse.Rows("SELECT id_chamado, incremental_build, status_valido FROM silver.tb_chamado_invalidos ORDER BY 1"));
    }

    [Fact]
    public void WatermarkLowerBound_OfANumericWatermark_IsTheNumberMinusTheLookback()
    {
        _warehouse.Execute("CREATE TABLE bronze.eventos (id_chamado BIGINT, sequencia BIGINT); INSERT INTO bronze.eventos VALUES (1, 10), (2, 20)");
        var model = MaterializationFixture.Model(
            "silver.tb_evento",
            "SELECT id_chamado, sequencia, CAST(watermark_lower_bound() AS BIGINT) AS lower_bound, CASE WHEN is_incremental() THEN typeof(watermark_lower_bound()) END AS lower_bound_type FROM bronze.eventos",
            Incremental("sequencia", "5"));
        _warehouse.Build(model);
        _warehouse.Execute("INSERT INTO bronze.eventos VALUES (3, 30)");

        _warehouse.Build(model);

        // The second build read sequencia >= 20 - 5; chamado 1 keeps what the first build wrote.
        Assert.Equal(["1|10|NULL|NULL", "2|20|15|BIGINT", "3|30|15|BIGINT"], _warehouse.Rows("SELECT * EXCLUDE (_loaded_at) FROM silver.tb_evento ORDER BY 1"));
    }

    [Fact]
    public void WatermarkLowerBound_OfADateWatermark_IsADate()
    {
        _warehouse.Execute("CREATE TABLE bronze.dias (id_chamado BIGINT, dia DATE); INSERT INTO bronze.dias VALUES (1, '2026-01-10')");
        var model = MaterializationFixture.Model(
            "silver.tb_dia",
            "SELECT id_chamado, dia, CAST(watermark_lower_bound() AS VARCHAR) AS lower_bound, CASE WHEN is_incremental() THEN typeof(watermark_lower_bound()) END AS lower_bound_type FROM bronze.dias",
            Incremental("dia", "1 day"));
        _warehouse.Build(model);
        _warehouse.Execute("INSERT INTO bronze.dias VALUES (2, '2026-01-11')");

        _warehouse.Build(model);

        // DuckDB's DATE - INTERVAL is a TIMESTAMP; the bound is cast back to the watermark's type.
        Assert.Equal(["1|2026-01-09|DATE", "2|2026-01-09|DATE"], _warehouse.Rows("SELECT id_chamado, lower_bound, lower_bound_type FROM silver.tb_dia ORDER BY 1"));
    }

    [Fact]
    public void IsIncremental_IsFalseAndWatermarkLowerBoundNull_ForATableModel_OnEveryBuild()
    {
        var model = MaterializationFixture.Model(
            "gold.ft_total", "SELECT 1 AS id, is_incremental() AS incremental_build, watermark_lower_bound() IS NULL AS sem_limite",
            new ModelConfig { Materialized = MaterializationKind.Table });

        _warehouse.Build(model);
        _warehouse.Build(model);

        Assert.Equal(["1|False|True"], _warehouse.Rows("SELECT * FROM gold.ft_total"));
    }

    [Fact]
    public void Incremental_WithAnAggregateRestrictedToTheBatch_DayOneThenDayTwo_GivesTheSameTableAsAFullRefresh()
    {
        var model = MaterializationFixture.Model(
            "gold.ft_chamado",
            """
            WITH lote AS (SELECT id_chamado FROM bronze.chamados WHERE atualizado_em >= watermark_lower_bound()),
            custos AS (
                SELECT id_chamado, sum(valor) AS custo_total, count(*) AS lancamentos
                FROM bronze.custos
                WHERE NOT is_incremental() OR id_chamado IN (SELECT id_chamado FROM lote)
                GROUP BY id_chamado
            )
            SELECT c.id_chamado, c.status, c.atualizado_em, coalesce(cu.custo_total, 0) AS custo_total, coalesce(cu.lancamentos, 0) AS lancamentos
            FROM bronze.chamados AS c LEFT JOIN custos AS cu USING (id_chamado)
            """,
            Incremental("atualizado_em", "1 day"));
        _warehouse.Execute("""
            INSERT INTO bronze.chamados VALUES (1, 'aberto', '2026-01-09 08:00'), (2, 'aberto', '2026-01-10 09:00'), (3, 'aberto', '2026-01-10 10:00');
            INSERT INTO bronze.custos VALUES (1, 1, 5.00), (2, 2, 7.50), (3, 2, 2.50), (4, 3, 1.00);
            """);
        _warehouse.Build(model);
        // Day 2: chamado 2 changes and gets a cost, 4 is new, and 5 arrives late: behind the watermark
        // (2026-01-10 10:00) but inside the lookback, so only a batch bounded exactly as the engine reads it has its costs.
        _warehouse.Execute("""
            UPDATE bronze.chamados SET status = 'resolvido', atualizado_em = '2026-01-11 09:00' WHERE id_chamado = 2;
            INSERT INTO bronze.chamados VALUES (4, 'aberto', '2026-01-11 10:00'), (5, 'aberto', '2026-01-09 20:00');
            INSERT INTO bronze.custos VALUES (5, 2, 10.00), (6, 4, 3.00), (7, 5, 4.00), (8, 5, 4.00);
            """);

        var dayTwo = _warehouse.Build(model);
        var incremental = _warehouse.Rows("SELECT * EXCLUDE (_loaded_at) FROM gold.ft_chamado ORDER BY ALL");
        _warehouse.Build(model, fullRefresh: true);

        Assert.Equal((2, 1), (dayTwo.RowsInserted, dayTwo.RowsUpdated));
        Assert.Equal(
            ["1|aberto|01/09/2026 08:00:00|5.00|1", "2|resolvido|01/11/2026 09:00:00|20.00|3", "3|aberto|01/10/2026 10:00:00|1.00|1",
             "4|aberto|01/11/2026 10:00:00|3.00|1", "5|aberto|01/09/2026 20:00:00|8.00|2"],
            incremental);
        Assert.Equal(incremental, _warehouse.Rows("SELECT * EXCLUDE (_loaded_at) FROM gold.ft_chamado ORDER BY ALL"));
    }
}
