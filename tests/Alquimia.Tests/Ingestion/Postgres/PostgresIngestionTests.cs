using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>Extraction from a real PostgreSQL through binary COPY into landing Parquet and bronze.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresIngestionTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);
    private readonly string _database;

    public PostgresIngestionTests(PostgresServer server)
    {
        _database = server.CreateDatabase();
        _folder.Write("alquimia.yml", "name: central\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task EveryMappedType_LandsExactly_AndAnUnmappableOneAsTextWithAWarning()
    {
        PostgresServer.Execute(_database, """
            CREATE TYPE humor AS ENUM ('feliz', 'triste');
            CREATE TABLE tipos (
                id int4 PRIMARY KEY, b bool, s int2, i8 int8, f4 float4, f8 float8, n numeric(38,10), n2 numeric(12,2), nu numeric,
                t text, vc varchar(20), ch char(3), d date, ts timestamp, tstz timestamptz, tm time, iv interval, u uuid, j json, jb jsonb,
                ba bytea, ai int4[], tx text[], e humor, pt point);
            INSERT INTO tipos VALUES (
                1, true, -32768, 9223372036854775807, 1.5, 0.1, 1234567890123456789012345678.0123456789, -12.34,
                3.14159265358979323846264338327950288419716939937510, 'ação ☕', 'x', 'ab', '2024-02-29', '2026-11-22 10:11:12.123456',
                '2026-11-22 10:11:12.654321+03', '23:59:59.999999', '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                '{"a": [1, 2]}', '{"b": "c"}', '\x00ff10', '{1,2,NULL}', '{"a b","c,d",NULL}', 'feliz', '(1,2)');
            INSERT INTO tipos (id) VALUES (2);
            """);
        WriteSource("  - name: tipos\n");

        var summary = await Sync();

        var step = summary.Steps.Single();
        Assert.Equal(RunStatus.Warning, step.Status);
        Assert.Contains("column 'pt' has PostgreSQL type point", step.Warning, StringComparison.Ordinal);
        Assert.Equal(
            ["id:INTEGER", "b:BOOLEAN", "s:SMALLINT", "i8:BIGINT", "f4:FLOAT", "f8:DOUBLE", "n:DECIMAL(38,10)", "n2:DECIMAL(12,2)", "nu:VARCHAR",
             "t:VARCHAR", "vc:VARCHAR", "ch:VARCHAR", "d:DATE", "ts:TIMESTAMP", "tstz:TIMESTAMP WITH TIME ZONE", "tm:TIME", "iv:INTERVAL", "u:UUID",
             "j:JSON", "jb:JSON", "ba:BLOB", "ai:INTEGER[]", "tx:VARCHAR[]", "e:VARCHAR", "pt:VARCHAR"],
            Query("SELECT column_name || ':' || data_type FROM duckdb_columns() WHERE table_name = 'tipos' AND column_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY column_index"));
        Assert.Equal(
            "true|-32768|9223372036854775807|1.5|0.1|1234567890123456789012345678.0123456789|-12.34|3.14159265358979323846264338327950288419716939937510"
            + "|ação ☕|x|ab |2024-02-29|2026-11-22 10:11:12.123456|1795331472654321|23:59:59.999999|14 months, 3 days, 14706789000 us"
            + "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"a\": [1, 2]}|{\"b\": \"c\"}|00FF10|[1, 2, NULL]|a b/c,d/NULL/3|feliz|(1,2)",
            Query("""
                SELECT concat_ws('|', b, s, i8, f4, f8, n, n2, nu, t, vc, ch, d, ts, epoch_us(tstz), tm,
                       datepart('month', iv) + 12 * datepart('year', iv) || ' months, ' || datepart('day', iv) || ' days, ' || datepart('microseconds', iv) + 1000000 * (datepart('hour', iv) * 3600 + datepart('minute', iv) * 60) || ' us',
                       u, j, jb, hex(ba), ai, tx[1] || '/' || tx[2] || '/' || coalesce(tx[3], 'NULL') || '/' || len(tx), e, pt)
                FROM bronze.tipos WHERE id = 1
                """).Single());
        Assert.Equal(["24"], Query("SELECT count(*) FILTER (WHERE v IS NULL) FROM (SELECT unnest(list_value(b::VARCHAR, s::VARCHAR, i8::VARCHAR, f4::VARCHAR, f8::VARCHAR, n::VARCHAR, n2::VARCHAR, nu, t, vc, ch, d::VARCHAR, ts::VARCHAR, tstz::VARCHAR, tm::VARCHAR, iv::VARCHAR, u::VARCHAR, j::VARCHAR, jb::VARCHAR, ba::VARCHAR, ai::VARCHAR, tx::VARCHAR, e, pt)) AS v FROM bronze.tipos WHERE id = 2)"));
        Assert.Single(Directory.GetFiles(Path.Combine(_folder.Path, "lake", "landing", "vendas", "tipos"), "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Incremental_RowsAtExactlyTheLastCursor_AreNeitherLostNorDuplicated()
    {
        PostgresServer.Execute(_database, """
            CREATE TABLE chamados (id_chamado int8 PRIMARY KEY, status text, atualizado_em timestamp);
            INSERT INTO chamados VALUES (1, 'aberto', '2026-01-01 10:00'), (2, 'aberto', '2026-01-01 11:00');
            """);
        WriteSource("  - name: chamados\n    mode: incremental\n    cursor: atualizado_em\n    primary_key: [id_chamado]\n");

        var first = await Sync();
        // Both changes carry the cursor value the first sync ended on, as a row written in the same instant would.
        PostgresServer.Execute(_database, """
            UPDATE chamados SET status = 'encerrado', atualizado_em = '2026-01-01 11:00' WHERE id_chamado = 1;
            INSERT INTO chamados VALUES (3, 'aberto', '2026-01-01 11:00');
            """);
        var second = await Sync();
        var third = await Sync();

        Assert.Equal([2L, 2L, 0L], new[] { first, second, third }.Select(summary => summary.Steps.Single().RowsInserted));
        Assert.Equal(["1|aberto", "1|encerrado", "2|aberto", "3|aberto"], Query("SELECT id_chamado || '|' || status FROM bronze.chamados ORDER BY 1"));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_folder.Path, "lake", "landing", "vendas", "chamados"), "*.parquet", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task ATableThatIsGone_FailsTheStep_NamingTheSourceAndTheTable()
    {
        PostgresServer.Execute(_database, "CREATE TABLE chamados (id int8)");
        WriteSource("  - name: chamados\n  - name: clientes\n");

        var summary = await Sync();

        var failed = summary.Steps.Single(step => step.Model == "bronze.clientes");
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("Source 'vendas': table public.clientes does not exist", failed.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, summary.Steps.Single(step => step.Model == "bronze.chamados").Status);
    }

    [Fact]
    public async Task AnUnknownUser_AndAnUnreachableServer_GiveOneLineNamingTheSource()
    {
        var builder = new NpgsqlConnectionStringBuilder(_database) { Username = "ninguem" };
        WriteSource("  - name: chamados\n", builder.ConnectionString);
        var unknownUser = (await Sync()).Steps.Single().Error;

        builder = new NpgsqlConnectionStringBuilder(_database) { Port = FreePort(), Timeout = 5 };
        WriteSource("  - name: chamados\n", builder.ConnectionString);
        var unreachable = (await Sync()).Steps.Single().Error;

        Assert.Matches(@"^Source 'vendas' \(127\.0\.0\.1:\d+/test_\d+ as ninguem\): 28000: role ""ninguem"" does not exist$", unknownUser);
        Assert.Matches(@"^Source 'vendas' \(127\.0\.0\.1:\d+/test_\d+ as alquimia\): .*refused[^\n]*$", unreachable);
    }

    private void WriteSource(string tables, string? connection = null) =>
        _folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{connection ?? _database}\"\ntables:\n{tables}");

    private Task<RunSummary> Sync() => PipelineRunner.RunAsync(_folder.Load(), new RunOptions { Selector = "source:vendas" });

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
