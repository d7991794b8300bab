using Alquimia.Ingestion.Postgres;
using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>Extraction from a real PostgreSQL through binary COPY into landing Parquet and bronze.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresIngestionTests : PostgresProjectTests
{
    public PostgresIngestionTests(PostgresServer server)
        : base(server, "name: central\n")
    {
    }

    [Fact]
    public async Task EveryMappedType_LandsExactly_AndAnUnmappableOneAsTextWithAWarning()
    {
        PostgresServer.Execute(Database, """
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
             "t:VARCHAR", "vc:VARCHAR", "ch:VARCHAR", "d:DATE", "ts:TIMESTAMP", "tstz:TIMESTAMP WITH TIME ZONE", "tm:TIME", "iv:VARCHAR", "u:UUID",
             "j:JSON", "jb:JSON", "ba:BLOB", "ai:INTEGER[]", "tx:VARCHAR[]", "e:VARCHAR", "pt:VARCHAR"],
            Query("SELECT column_name || ':' || data_type FROM duckdb_columns() WHERE table_name = 'tipos' AND column_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY column_index"));
        Assert.Equal(
            "true|-32768|9223372036854775807|1.5|0.1|1234567890123456789012345678.0123456789|-12.34|3.14159265358979323846264338327950288419716939937510"
            + "|ação ☕|x|ab |2024-02-29|2026-11-22 10:11:12.123456|1795331472654321|23:59:59.999999|14 months 3 days 14706789000 microseconds"
            + "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"a\": [1, 2]}|{\"b\": \"c\"}|00FF10|[1, 2, NULL]|a b/c,d/NULL/3|feliz|(1,2)",
            Query("""
                SELECT concat_ws('|', b, s, i8, f4, f8, n, n2, nu, t, vc, ch, d, ts, epoch_us(tstz), tm,
                       iv,
                       u, j, jb, hex(ba), ai, tx[1] || '/' || tx[2] || '/' || coalesce(tx[3], 'NULL') || '/' || len(tx), e, pt)
                FROM bronze.tipos WHERE id = 1
                """).Single());
        Assert.Equal(["24"], Query("SELECT count(*) FILTER (WHERE v IS NULL) FROM (SELECT unnest(list_value(b::VARCHAR, s::VARCHAR, i8::VARCHAR, f4::VARCHAR, f8::VARCHAR, n::VARCHAR, n2::VARCHAR, nu, t, vc, ch, d::VARCHAR, ts::VARCHAR, tstz::VARCHAR, tm::VARCHAR, iv, u::VARCHAR, j::VARCHAR, jb::VARCHAR, ba::VARCHAR, ai::VARCHAR, tx::VARCHAR, e, pt)) AS v FROM bronze.tipos WHERE id = 2)"));
        Assert.Single(Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas", "tipos"), "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Numerics_LandExactly_WhereverTheirDigitsFallAroundThePoint()
    {
        // numeric travels as base-10000 digits with a weight: values that end, start or sit across those digits' edges.
        // (DuckDB writes a DECIMAL(4,4) without its leading zero.)
        PostgresServer.Execute(Database, """
            CREATE TABLE valores (id int4, largo numeric(38,10), inteiro numeric(5,0), fracao numeric(4,4), custo numeric(12,2));
            INSERT INTO valores VALUES
                (1, 0, 0, 0, 0),
                (2, -0.0000000001, 10000, 0.0001, -0.01),
                (3, 9999999999999999999999999999.9999999999, 99999, 0.9999, 9999999999.99),
                (4, -1234567890123456789012345678.0000000001, -10001, -0.5, 100000000.10),
                (5, 10000.00001, 1, 0.001, 12.3);
            """);
        WriteSource("  - name: valores\n");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Equal(
            [
                "1|0.0000000000|0|.0000|0.00",
                "2|-0.0000000001|10000|.0001|-0.01",
                "3|9999999999999999999999999999.9999999999|99999|.9999|9999999999.99",
                "4|-1234567890123456789012345678.0000000001|-10001|-.5000|100000000.10",
                "5|10000.0000100000|1|.0010|12.30",
            ],
            Query("SELECT concat_ws('|', id, largo, inteiro, fracao, custo) FROM bronze.valores ORDER BY id"));
    }

    [Fact]
    public async Task ValuesLargerThanTheReadBuffer_AndInfiniteTimes_LandWhole()
    {
        // The COPY reader holds each field whole in its buffer (256 KB at first): a 1 MB text and a 600 KB bytea make it grow.
        PostgresServer.Execute(Database, """
            CREATE TABLE anexos (id int4, nota text, arquivo bytea, visto timestamp, dia date);
            INSERT INTO anexos SELECT 1, repeat('ação-', 200000), decode(repeat('00ff', 300000), 'hex'), 'infinity', '-infinity';
            INSERT INTO anexos SELECT g, 'nota ' || g, '\x01', '2026-11-22 08:00', '2026-11-22' FROM generate_series(2, 5000) g;
            """);
        WriteSource("  - name: anexos\n");

        var summary = await Sync();

        Assert.Equal(RunStatus.Succeeded, summary.Steps.Single().Status);
        Assert.Equal(
            ["1|1000000|ação-ação-|600000|00FF00FF|infinity|-infinity", "2|6|nota 2|1|0101|2026-11-22 08:00:00|2026-11-22", "5000 rows"],
            Query("""
                SELECT * FROM (
                    SELECT concat_ws('|', id, length(nota), left(nota, 10), octet_length(arquivo), hex(arquivo[1:2]) || hex(arquivo[-2:]), visto, dia)
                    FROM bronze.anexos WHERE id <= 2 ORDER BY id)
                UNION ALL SELECT count(*) || ' rows' FROM bronze.anexos
                """));
    }

    [Fact]
    public async Task ALargeTable_LandsInParts_PublishedTogether_AndWhatACutShortSyncLeftIsRemoved()
    {
        PostgresServer.Execute(Database, "CREATE TABLE grande AS SELECT g AS id, repeat('x', 50) AS nota FROM generate_series(1, 20000) g;");
        WriteSource("  - name: grande\n");
        var landing = Path.Combine(Folder.Path, "lake", "landing", "vendas", "grande");
        var abandoned = Path.Combine(landing, "ingestion_date=2026-01-01", ".20260101T000000000Z-abcdef-1.partial");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, "part-00001.parquet"), "not parquet: a part a killed sync left");
        var (partBytes, rowGroupRows) = (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows);
        (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows) = (128 * 1024, 1);
        try
        {
            var step = (await Sync()).Steps.Single();

            Assert.Equal(RunStatus.Succeeded, step.Status);
            Assert.Equal(20000, step.RowsInserted);
        }
        finally
        {
            (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows) = (partBytes, rowGroupRows);
        }

        var parts = Directory.GetFiles(landing, "*.parquet", SearchOption.AllDirectories);
        Assert.True(parts.Length > 5, $"{parts.Length} parts");
        Assert.All(parts, part => Assert.Matches(@"ingestion_date=\d{4}-\d{2}-\d{2}/[^/.]+/part-\d{5}\.parquet$", part.Replace('\\', '/')));
        Assert.False(Directory.Exists(abandoned));
        Assert.Equal(["20000|20000|1|20000"], Query("SELECT count(*) || '|' || count(DISTINCT id) || '|' || min(id) || '|' || max(id) FROM bronze.grande"));
    }

    [Fact]
    public async Task Incremental_RowsAtExactlyTheLastCursor_AreNeitherLostNorDuplicated()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE chamados (id_chamado int8 PRIMARY KEY, status text, atualizado_em timestamp);
            INSERT INTO chamados VALUES (1, 'aberto', '2026-01-01 10:00'), (2, 'aberto', '2026-01-01 11:00');
            """);
        WriteSource("  - name: chamados\n    mode: incremental\n    cursor: atualizado_em\n    primary_key: [id_chamado]\n");

        var first = await Sync();
        // Both changes carry the cursor value the first sync ended on, as a row written in the same instant would.
        PostgresServer.Execute(Database, """
            UPDATE chamados SET status = 'encerrado', atualizado_em = '2026-01-01 11:00' WHERE id_chamado = 1;
            INSERT INTO chamados VALUES (3, 'aberto', '2026-01-01 11:00');
            """);
        var second = await Sync();
        var third = await Sync();

        Assert.Equal([2L, 2L, 0L], new[] { first, second, third }.Select(summary => summary.Steps.Single().RowsInserted));
        Assert.Equal(["1|aberto", "1|encerrado", "2|aberto", "3|aberto"], Query("SELECT id_chamado || '|' || status FROM bronze.chamados ORDER BY 1"));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas", "chamados"), "*.parquet", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task AConnectionKilledMidSync_RecordsNothing_AndTheNextSyncLandsEveryRowOnce()
    {
        // A view that stops for half a minute at its 1000th row, so that the COPY is surely running when it is killed.
        PostgresServer.Execute(Database, """
            CREATE TABLE chamados AS SELECT g AS id_chamado, 'chamado ' || g AS assunto FROM generate_series(1, 2000) g;
            CREATE VIEW chamados_lentos AS SELECT id_chamado, assunto, CASE WHEN id_chamado = 1000 THEN pg_sleep(30)::text END AS pausa FROM chamados;
            """);
        Folder.Write("alquimia.yml", "name: central\nretries: 0\n");
        WriteSource("  - name: chamados_lentos\n");

        var sync = Sync();
        await TerminateWhenCopying();
        var killed = await sync;
        PostgresServer.Execute(Database, "CREATE OR REPLACE VIEW chamados_lentos AS SELECT id_chamado, assunto, NULL::text AS pausa FROM chamados");
        var next = await Sync();

        var failed = killed.Steps.Single();
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith("Source 'vendas' (127.0.0.1:", failed.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, next.Steps.Single().Status);
        Assert.Equal(["2000|2000|1|2000"], Query("SELECT count(*) || '|' || count(DISTINCT id_chamado) || '|' || min(id_chamado) || '|' || max(id_chamado) FROM bronze.chamados_lentos"));
        Assert.Single(Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task TablesOfOneSync_ReadOneSnapshot_EvenWhenTheSourceChangesBetweenThem()
    {
        // pedidos is read first (by name, in one step at a time) and stops for 3 s; a new item committed meanwhile is
        // not in this sync's itens, as in the pedidos it belongs with.
        PostgresServer.Execute(Database, """
            CREATE TABLE pedidos_base (id_pedido int8);
            CREATE TABLE itens (id_pedido int8, produto text);
            INSERT INTO pedidos_base VALUES (1);
            INSERT INTO itens VALUES (1, 'cartão');
            CREATE VIEW a_pedidos AS SELECT id_pedido, pg_sleep(3)::text AS pausa FROM pedidos_base;
            """);
        Folder.Write("alquimia.yml", "name: central\nmax_parallelism: 1\n");
        WriteSource("  - name: a_pedidos\n  - name: itens\n");

        var sync = Sync();
        await WaitForCopy();
        PostgresServer.Execute(Database, "INSERT INTO pedidos_base VALUES (2); INSERT INTO itens VALUES (2, 'seguro');");
        var first = await sync;
        await Sync();

        Assert.Equal(["bronze.a_pedidos", "bronze.itens"], first.Steps.OrderBy(step => step.StartedAt).Select(step => step.Model));
        Assert.Equal(["1|2", "2|1"], Query("SELECT id_pedido || '|' || count(*) FROM bronze.itens GROUP BY id_pedido ORDER BY 1"));
        Assert.Equal(["1|cartão"], Query($"SELECT id_pedido || '|' || produto FROM bronze.itens WHERE _batch_id LIKE '{first.Run.RunId}%'"));
    }

    [Fact]
    public async Task ATableThatIsGone_FailsTheStep_NamingTheSourceAndTheTable()
    {
        PostgresServer.Execute(Database, "CREATE TABLE chamados (id int8)");
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
        var builder = new NpgsqlConnectionStringBuilder(Database) { Username = "ninguem" };
        WriteSource("  - name: chamados\n", builder.ConnectionString);
        var unknownUser = (await Sync()).Steps.Single().Error;

        builder = new NpgsqlConnectionStringBuilder(Database) { Port = FreePort(), Timeout = 5 };
        WriteSource("  - name: chamados\n", builder.ConnectionString);
        var unreachable = (await Sync()).Steps.Single().Error;

        Assert.Matches(@"^Source 'vendas' \(127\.0\.0\.1:\d+/test_\d+ as ninguem\): 28000: role ""ninguem"" does not exist$", unknownUser);
        Assert.Matches(@"^Source 'vendas' \(127\.0\.0\.1:\d+/test_\d+ as alquimia\): .*refused[^\n]*$", unreachable);
    }

    [Fact]
    public async Task AWrongPassword_GivesOneLineNamingTheSource_AndNeverThePassword()
    {
        Server.CreatePasswordRole("leitor", "s3nha-certa");
        var builder = new NpgsqlConnectionStringBuilder(Database) { Username = "leitor", Password = "s3nha-errada" };
        WriteSource("  - name: chamados\n", $"postgres://leitor:s3nha-errada@{builder.Host}:{builder.Port}/{builder.Database}");

        var error = (await Sync()).Steps.Single().Error;

        Assert.Matches(@"^Source 'vendas' \(127\.0\.0\.1:\d+/test_\d+ as leitor\): 28P01: password authentication failed for user ""leitor""$", error);
        Assert.DoesNotContain("s3nha", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACursorThatDoesNotOrderAlikeInBothDatabases_IsRefused_AndAValueDuckDbCannotHold_NamesTheTable()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE notas (id int4, versao text);
            INSERT INTO notas VALUES (1, 'b');
            CREATE TABLE custos (id int4, valor numeric(10,2));
            INSERT INTO custos VALUES (1, 'NaN');
            """);
        WriteSource("  - name: notas\n    mode: incremental\n    cursor: versao\n  - name: custos\n");

        var steps = (await Sync()).Steps.ToDictionary(step => step.Model);

        Assert.Equal(
            "Source 'vendas': the cursor column 'versao' of table notas (vendas.yml:5) is text, which lands as VARCHAR: DuckDB and PostgreSQL do not order it alike, "
            + "so rows would be read again. Use a timestamp, date, integer or numeric(p,s) column as the cursor, e.g. atualizado_em.",
            steps["bronze.notas"].Error);
        Assert.Equal(
            "Source 'vendas': a value of column 'valor' (numeric(10,2)) of table public.custos cannot be landed: NaN has no DECIMAL value. "
            + "Fix the value in the source, or exclude the column (a view over the table without it).",
            steps["bronze.custos"].Error);
        Assert.Empty(Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ALandingPart_HoldsWholeRowGroups_ButTheLast()
    {
        // A part-filled row group in the middle of bronze makes DuckDB rewrite the whole table at the next checkpoint.
        PostgresServer.Execute(Database, "CREATE TABLE grande AS SELECT g AS id FROM generate_series(1, 2500) g;");
        WriteSource("  - name: grande\n");
        var (partBytes, rowGroupRows) = (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows);
        (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows) = (1, 1000);
        try
        {
            Assert.Equal(2500, (await Sync()).Steps.Single().RowsInserted);
        }
        finally
        {
            (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows) = (partBytes, rowGroupRows);
        }

        var parts = Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas", "grande"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["1000", "1000", "500"],
            parts.Select(part => Query($"SELECT count(*) FROM read_parquet('{part}')").Single()));
    }

    [Fact]
    public async Task AValueThatFailsWhileItsPartIsWritten_FailsTheSync_NamingTheTable_AndLandsNothing()
    {
        // A NaN in a numeric(10,2)[] arrives as text and fails only when DuckDB casts it into the part's DECIMAL(10,2)[],
        // on the thread that writes the parts while the COPY goes on filling the next one.
        PostgresServer.Execute(Database, """
            CREATE TABLE medidas AS
            SELECT g AS id, CASE WHEN g = 15000 THEN '{1.5,NaN}'::numeric(10,2)[] ELSE ARRAY[g, g + 1]::numeric(10,2)[] END AS valores, repeat('x', 50) AS nota
            FROM generate_series(1, 20000) g;
            """);
        WriteSource("  - name: medidas\n");
        var (partBytes, rowGroupRows) = (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows);
        (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows) = (128 * 1024, 1);
        ModelRunRecord step;
        try
        {
            step = (await Sync()).Steps.Single();
        }
        finally
        {
            (PostgresExtractor.PartBytes, PostgresExtractor.RowGroupRows) = (partBytes, rowGroupRows);
        }

        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.StartsWith(
            "Source 'vendas': a value of column 'valores' (numeric(10,2)[]) of table public.medidas cannot be landed: Conversion Error: Could not convert string \"NaN\" to DECIMAL(10,2). ",
            step.Error,
            StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas"), "*", SearchOption.AllDirectories));
        Assert.Equal(["0"], Query("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'medidas'"));
    }

    /// <summary>Waits until a COPY of this test's database runs; returns its backend's pid.</summary>
    private async Task<int> WaitForCopy()
    {
        var database = new NpgsqlConnectionStringBuilder(Database).Database;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            await using var connection = new NpgsqlConnection(Database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY%' AND state = 'active'", connection);
            command.Parameters.AddWithValue(database!);
            if (await command.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No COPY started within 30 s.");
    }

    private async Task TerminateWhenCopying()
    {
        var pid = await WaitForCopy();
        PostgresServer.Execute(Database, $"SELECT pg_terminate_backend({pid})");
    }

    private void WriteSource(string tables, string? connection = null) =>
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{connection ?? Database}\"\ntables:\n{tables}");

    private Task<RunSummary> Sync() => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" });


    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
