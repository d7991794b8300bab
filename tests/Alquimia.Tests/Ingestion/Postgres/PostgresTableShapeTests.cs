using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>Tables whose shape bronze cannot take as it is: each is refused naming the table, the column and the fix, never with DuckDB's raw words.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresTableShapeTests : PostgresProjectTests
{
    public PostgresTableShapeTests(PostgresServer server)
        : base(server, "name: central\n")
    {
    }

    [Theory]
    [InlineData("CREATE TABLE t (id int, _source text)", "has a column named _source, a name bronze gives its own column")]
    [InlineData("CREATE TABLE t (id int, _batch_id text)", "has a column named _batch_id")]
    [InlineData("CREATE TABLE t (id int, _ingestion_timestamp timestamp)", "has a column named _ingestion_timestamp")]
    [InlineData("CREATE TABLE t (id int, \"Nome\" text, nome text)", "has columns \"Nome\" and \"nome\", whose names differ only in case")]
    [InlineData("CREATE TABLE t ()", "table public.t has no columns")]
    public async Task ATableBronzeCannotHold_IsRefusedNamingTheTableTheColumnAndTheFix(string create, string expected)
    {
        PostgresServer.Execute(Database, create);
        WriteSource("  - name: t\n");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.Contains(expected, step.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Error:", step.Error, StringComparison.Ordinal); // DuckDB's "Binder Error:", "Catalog Error:"
    }

    [Fact]
    public async Task AnIncrementalTableThatStartsEmpty_SyncsNothing_ThenItsFirstRows()
    {
        PostgresServer.Execute(Database, "CREATE TABLE pedidos (id int PRIMARY KEY, atualizado_em timestamp)");
        WriteSource("  - name: pedidos\n    mode: incremental\n    cursor: atualizado_em\n");

        var empty = await Sync();
        var stillEmpty = await Sync();
        PostgresServer.Execute(Database, "INSERT INTO pedidos VALUES (1, '2026-12-01 10:00')");
        var first = await Sync();

        Assert.True(empty.Succeeded, empty.Steps.Single().Error);
        Assert.True(stillEmpty.Succeeded, stillEmpty.Steps.Single().Error);
        Assert.True(first.Succeeded, first.Steps.Single().Error);
        Assert.Equal(["1"], Query("SELECT id FROM bronze.pedidos"));
    }

    [Fact]
    public async Task AConnectionCutDuringTheCopy_FailsTheSyncSayingSo_NotWithAStreamError_AndKeepsNothingOfIt()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE eventos AS SELECT i AS id, md5(i::text) AS texto FROM generate_series(1, 100000) i;
            """);
        // A TCP relay between Alquimia and PostgreSQL, cut as soon as the COPY is seen running: the network going away,
        // where the server itself says nothing more. It hands the server's bytes on slowly, so that the COPY of this
        // small table lasts long enough to be seen.
        var server = new Npgsql.NpgsqlConnectionStringBuilder(Database);
        using var relay = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        relay.Start();
        var relayed = new List<System.Net.Sockets.TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var client = await relay.AcceptTcpClientAsync();
                var upstream = new System.Net.Sockets.TcpClient();
                await upstream.ConnectAsync(server.Host!, server.Port);
                lock (relayed)
                {
                    relayed.AddRange([client, upstream]);
                }

                _ = client.GetStream().CopyToAsync(upstream.GetStream());
                _ = Task.Run(async () =>
                {
                    var buffer = new byte[8192];
                    int read;
                    while ((read = await upstream.GetStream().ReadAsync(buffer)) > 0)
                    {
                        await client.GetStream().WriteAsync(buffer.AsMemory(0, read));
                        await Task.Delay(2);
                    }
                });
            }
        });
        var viaRelay = new Npgsql.NpgsqlConnectionStringBuilder(Database) { Port = ((System.Net.IPEndPoint)relay.LocalEndpoint).Port, Pooling = false };
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{viaRelay}\"\ntables:\n  - name: eventos\n");
        var sync = Sync();

        var cut = false;
        while (!sync.IsCompleted && !cut)
        {
            if (PostgresServer.Query(Database, "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE 'COPY%eventos%' AND pid <> pg_backend_pid()").Single() != "0")
            {
                lock (relayed)
                {
                    relayed.ForEach(socket => socket.Client.Close(0));
                }

                cut = true;
            }

            await Task.Delay(5);
        }

        var step = (await sync).Steps.Single();

        Assert.True(cut, "the COPY should have been seen running");
        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.StartsWith("Source 'vendas'", step.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Attempted to read past the end of the stream", step.Error, StringComparison.Ordinal);
        Assert.Empty(Query("SELECT table_name FROM duckdb_tables() WHERE table_name = 'eventos' AND estimated_size > 0"));
    }

    private void WriteSource(string tables) =>
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n{tables}");

    private Task<RunSummary> Sync() => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" });
}
