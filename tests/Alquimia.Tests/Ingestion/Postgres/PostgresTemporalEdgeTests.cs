using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>
/// Dates and timestamps at the edges of PostgreSQL's range land as the same instants, compared with PostgreSQL's own
/// epoch of each value: BC and far-future ones (past what .NET's DateTime holds) and ±infinity, which lands as DuckDB's
/// infinity, not as an ordinary value. One past what DuckDB holds fails its table, naming the column.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresTemporalEdgeTests : PostgresProjectTests
{
    public PostgresTemporalEdgeTests(PostgresServer server)
        : base(server, "name: central\n")
    {
    }

    [Fact]
    public async Task DatesAndTimestamps_BCFarFutureAndInfinite_LandAsTheSameInstants()
    {
        PostgresServer.Execute(Database, """
            SET TIME ZONE 'UTC';
            CREATE TABLE datas (id int4, d date, ts timestamp, tstz timestamptz);
            INSERT INTO datas VALUES
                (1, 'infinity', 'infinity', 'infinity'),
                (2, '-infinity', '-infinity', '-infinity'),
                (3, '4713-01-01 BC', '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC'),
                (4, '5874897-12-31', '294246-12-31 23:59:59.999999', '294246-12-31 23:59:59.999999+00'),
                (5, '1969-12-31', '1969-12-31 23:59:59.999999', '1969-12-31 23:59:59.999999+00'),
                (6, '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00'),
                (7, NULL, NULL, NULL);
            """);
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n  - name: datas\n");

        var summary = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" });

        Assert.Equal(RunStatus.Succeeded, summary.Steps.Single().Status);
        // PostgreSQL's own days and microseconds since 1970 of each finite value are the oracle.
        var expected = PostgresServer.Query(Database, """
            SELECT id || '|' || coalesce((d - DATE '1970-01-01')::text, 'NULL') || '|' || coalesce(((extract(epoch FROM ts) * 1000000)::int8)::text, 'NULL')
                   || '|' || coalesce(((extract(epoch FROM tstz) * 1000000)::int8)::text, 'NULL')
            FROM datas WHERE id > 2 ORDER BY id
            """);
        Assert.Equal(
            expected,
            Query("""
                SELECT id || '|' || coalesce((d - DATE '1970-01-01')::VARCHAR, 'NULL') || '|' || coalesce(epoch_us(ts)::VARCHAR, 'NULL') || '|' || coalesce(epoch_us(tstz)::VARCHAR, 'NULL')
                FROM bronze.datas WHERE id > 2 ORDER BY id
                """));
        Assert.Equal(
            ["1|infinity|infinity|infinity", "2|-infinity|-infinity|-infinity"],
            Query("SELECT id || '|' || d::VARCHAR || '|' || ts::VARCHAR || '|' || CASE WHEN isinf(tstz) THEN CASE WHEN tstz > TIMESTAMPTZ '2000-01-01' THEN 'infinity' ELSE '-infinity' END END FROM bronze.datas WHERE id <= 2 ORDER BY id"));
    }

    [Fact]
    public async Task ATimestampPastDuckDbsLast_FailsItsTable_NamingTheColumn()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE tarde (id int4, ts timestamp);
            INSERT INTO tarde VALUES (1, '2026-01-01'), (2, '294276-12-31 23:59:59.999999');
            """);
        Folder.Write("alquimia.yml", "name: central\nretries: 0\n");
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n  - name: tarde\n");

        var summary = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" });

        var step = summary.Steps.Single();
        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.Contains("column 'ts' (timestamp without time zone) of table public.tarde cannot be landed", step.Error, StringComparison.Ordinal);
        Assert.Contains("294247-01-10", step.Error, StringComparison.Ordinal);
    }
}
