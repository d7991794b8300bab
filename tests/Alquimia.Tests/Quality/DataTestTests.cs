using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Tests.Materializations;

namespace Alquimia.Tests.Quality;

/// <summary>Each kind of data test on a real relation: what it counts as failing, and the keys it shows.</summary>
public sealed class DataTestTests : IDisposable
{
    private readonly MaterializationFixture _warehouse = new();

    public DataTestTests()
    {
        _warehouse.Execute("""
            CREATE TABLE gold.dm_canal AS SELECT * FROM (VALUES (1, 'telefone'), (2, 'chat')) AS canais(id_canal, canal);
            CREATE TABLE gold.ft_atendimento AS SELECT * FROM (VALUES
                (10, 1, 'resolvido', 12.5, TIMESTAMP '2026-01-01 08:00'),
                (11, 2, 'aberto', NULL, TIMESTAMP '2026-01-02 08:00'),
                (11, 7, 'perdido', 3.0, TIMESTAMP '2026-01-03 08:00'),
                (12, NULL, NULL, 1.0, TIMESTAMP '2026-01-04 08:00'),
                (NULL, NULL, 'aberto', 2.0, TIMESTAMP '2026-01-01 09:00'),
                (NULL, NULL, 'aberto', 2.0, TIMESTAMP '2026-01-01 10:00')) AS fatos(id_chamado, id_canal, status, tma_minutos, atualizado_em);
            """);
    }

    public void Dispose() => _warehouse.Dispose();

    private List<TestOutcome> Run(params DataTest[] tests) => RunOn(writtenRows: null, tests);

    private List<TestOutcome> RunOn(string? writtenRows, params DataTest[] tests)
    {
        var model = MaterializationFixture.Model("gold.ft_atendimento", "SELECT 1", new ModelConfig { Materialized = MaterializationKind.Table, Tests = tests });
        return DataTestRunner.Run(_warehouse.Connection, model, "run-t", new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), writtenRows);
    }

    private static string Shape(TestOutcome outcome) => $"{outcome.Test.Name}|{outcome.RowsFailed}/{outcome.RowsChecked}|{string.Join(",", outcome.SampleKeys)}";

    [Fact]
    public void Tests_CountTheRowsThatBreakThem_AndShowTheirKeys()
    {
        var outcomes = Run(
            new UniqueTest(["id_chamado"], TestSeverity.Error, 1),
            new NotNullTest("tma_minutos", TestSeverity.Error, 1),
            new AcceptedValuesTest("status", ["aberto", "resolvido"], TestSeverity.Warn, 1),
            new RelationshipsTest("id_canal", new QualifiedName("gold", "dm_canal"), "id_canal", TestSeverity.Error, 1),
            new ExpressionTest("tma_positivo", "SELECT id_chamado FROM gold.ft_atendimento WHERE tma_minutos < 5", [], TestSeverity.Error, 1),
            new RowCountBetweenTest(7, null, TestSeverity.Error, 1),
            new RowCountBetweenTest(1, 10, TestSeverity.Error, 1),
            new UniqueTest(["id_chamado", "id_canal"], TestSeverity.Error, 1));

        Assert.Equal(
            [
                "unique(id_chamado)|1/6|11",
                "not_null(tma_minutos)|1/6|11",
                "accepted_values(status)|1/6|perdido",
                "relationships(id_canal → gold.dm_canal.id_canal)|1/6|7",
                "tma_positivo|4/6|11,12",
                "row_count_between|1/6|6",
                "row_count_between|0/6|",
                "unique(id_chamado, id_canal)|0/6|",
            ],
            outcomes.Select(Shape));
        Assert.Equal(
            ["unique(id_chamado)|test|error|1|[11]", "accepted_values(status)|test|warn|1|[perdido]"],
            _warehouse.Rows("SELECT rule, kind, action, rows_failed, CAST(sample_keys AS VARCHAR) FROM _alquimia.quality_results WHERE rule IN ('unique(id_chamado)', 'accepted_values(status)') ORDER BY action"));
    }

    [Fact]
    public void Relationships_AParentRowWithoutKey_HidesNoOrphan()
    {
        // A NULL among the parent's keys matches no child: canal 7 is still an orphan, and NULL canais are not tested.
        _warehouse.Execute("INSERT INTO gold.dm_canal VALUES (NULL, 'sem canal')");

        var outcome = Run(new RelationshipsTest("id_canal", new QualifiedName("gold", "dm_canal"), "id_canal", TestSeverity.Error, 1)).Single();

        Assert.Equal("relationships(id_canal → gold.dm_canal.id_canal)|1/6|7", Shape(outcome));
    }

    [Fact]
    public void AfterABatch_RowByRowTestsReadTheRowsItWrote_UniqueTheirKeysAcrossTheTable_AndTheOthersEverything()
    {
        // The batch wrote the rows of 2026-01-03 on: chamado 11 (canal 7, perdido) and 12. The NULL tma and the
        // duplicated NULL ids of earlier rows were tested when those were written.
        var outcomes = RunOn(
            "atualizado_em >= TIMESTAMP '2026-01-03'",
            new UniqueTest(["id_chamado"], TestSeverity.Error, 1),
            new NotNullTest("tma_minutos", TestSeverity.Error, 1),
            new AcceptedValuesTest("status", ["aberto", "resolvido"], TestSeverity.Warn, 1),
            new RelationshipsTest("id_canal", new QualifiedName("gold", "dm_canal"), "id_canal", TestSeverity.Error, 1),
            new ExpressionTest("tma_positivo", "SELECT id_chamado FROM gold.ft_atendimento WHERE tma_minutos < 5", [], TestSeverity.Error, 1),
            new RowCountBetweenTest(7, null, TestSeverity.Error, 1),
            new UniqueTest(["id_chamado", "id_canal"], TestSeverity.Error, 1),
            new UniqueTest(["status", "tma_minutos"], TestSeverity.Error, 1));

        Assert.Equal(
            [
                "unique(id_chamado)|1/2|11",
                "not_null(tma_minutos)|0/2|",
                "accepted_values(status)|1/2|perdido",
                "relationships(id_canal → gold.dm_canal.id_canal)|1/2|7",
                "tma_positivo|4/6|11,12",
                "row_count_between|1/6|6",
                "unique(id_chamado, id_canal)|0/2|",
                "unique(status, tma_minutos)|0/2|",
            ],
            outcomes.Select(Shape));
    }

    [Fact]
    public void AfterABatch_UniqueFindsAWrittenRowsKeyAmongEarlierRows_PartlyNullKeysIncluded()
    {
        _warehouse.Execute("INSERT INTO gold.ft_atendimento VALUES (13, NULL, 'aberto', 2.0, TIMESTAMP '2026-01-04 09:00')");

        var outcomes = RunOn(
            "atualizado_em >= TIMESTAMP '2026-01-04 09:00'",
            new UniqueTest(["status", "tma_minutos"], TestSeverity.Error, 1),
            new UniqueTest(["id_canal", "tma_minutos"], TestSeverity.Error, 1));

        // (aberto, 2.0) was already the key of the two rows of 2026-01-01; (NULL, 2.0) too, grouped as GROUP BY groups NULLs.
        Assert.Equal(["unique(status, tma_minutos)|1/1|aberto, 2.0", "unique(id_canal, tma_minutos)|1/1|2.0"], outcomes.Select(Shape));
    }

    [Fact]
    public void Freshness_FailsWhenTheNewestRowIsOlderThanTheMaximumAge()
    {
        // The run started 2026-01-05 00:00 UTC; the newest row is from 2026-01-04 08:00, 16 hours before.
        var stale = Run(new FreshnessTest("atualizado_em", "12 hours", TestSeverity.Error, 1)).Single();
        var fresh = Run(new FreshnessTest("atualizado_em", "1 day", TestSeverity.Error, 1)).Single();
        _warehouse.Execute("SET TimeZone = 'America/Sao_Paulo'; CREATE TABLE gold.ft_tz AS SELECT TIMESTAMPTZ '2026-01-04 08:00:00+00' AS atualizado_em");
        var model = MaterializationFixture.Model("gold.ft_tz", "SELECT 1", new ModelConfig { Materialized = MaterializationKind.Table, Tests = [new FreshnessTest("atualizado_em", "12 hours", TestSeverity.Error, 1)] });
        var staleWithTimeZone = DataTestRunner.Run(_warehouse.Connection, model, "run-t", new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero)).Single();

        Assert.Equal("freshness(atualizado_em)|1/6|2026-01-04 08:00:00", Shape(stale));
        Assert.False(fresh.Failed);
        Assert.True(staleWithTimeZone.Failed);
    }
}
