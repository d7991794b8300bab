using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>A PostgreSQL source's bronze rebuilt from its landing Parquet files alone, with the database out of reach.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresReplayTests : PostgresProjectTests
{
    public PostgresReplayTests(PostgresServer server)
        : base(server, "name: central\n")
    {
    }

    [Fact]
    public async Task Replay_RebuildsBronzeEqualToTheSyncedOne_WithoutContactingTheDatabase()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE chamados (id_chamado int8, status text, valor numeric(12,2), atualizado_em timestamp);
            CREATE TABLE atendentes (id_atendente int4, nome text);
            INSERT INTO chamados VALUES (1, 'aberto', 10.5, '2026-01-01 10:00'), (2, 'aberto', NULL, '2026-01-01 11:00');
            INSERT INTO atendentes VALUES (1, 'Ana'), (2, 'Bruno');
            """);
        WriteSource(Database);
        await Sync();
        PostgresServer.Execute(Database, """
            UPDATE chamados SET status = 'encerrado', atualizado_em = '2026-01-02 09:00' WHERE id_chamado = 1;
            INSERT INTO chamados VALUES (3, 'aberto', 7, '2026-01-02 10:00');
            DELETE FROM atendentes WHERE id_atendente = 2;
            """);
        await Sync();
        var chamados = Query("SELECT * EXCLUDE (_batch_id, _ingestion_timestamp) FROM bronze.chamados ORDER BY ALL");
        var atendentes = Query("SELECT * EXCLUDE (_batch_id, _ingestion_timestamp) FROM bronze.atendentes ORDER BY ALL");
        var versions = Query("SELECT id_chamado, status FROM bronze.chamados ORDER BY _ingestion_timestamp, id_chamado");

        // Nothing listens on this port: a sync fails, so a replay that succeeds never tried the database.
        WriteSource(new NpgsqlConnectionStringBuilder(Database) { Port = FreePort(), Timeout = 5 }.ConnectionString);
        var sync = await Sync();
        var replay = await Sync(replay: true);

        Assert.All(sync.Steps, step => Assert.Equal(RunStatus.Failed, step.Status));
        Assert.True(replay.Succeeded, string.Join("\n", replay.Steps.Select(step => step.Error)));
        Assert.Equal((4, 3), (chamados.Count, atendentes.Count));
        Assert.Equal(chamados, Query("SELECT * EXCLUDE (_batch_id, _ingestion_timestamp) FROM bronze.chamados ORDER BY ALL"));
        Assert.Equal(atendentes, Query("SELECT * EXCLUDE (_batch_id, _ingestion_timestamp) FROM bronze.atendentes ORDER BY ALL"));
        Assert.Equal(versions, Query("SELECT id_chamado, status FROM bronze.chamados ORDER BY _ingestion_timestamp, id_chamado"));
        Assert.Equal(["DECIMAL(12,2)"], Query("SELECT data_type FROM duckdb_columns() WHERE table_name = 'chamados' AND column_name = 'valor'"));
    }

    private void WriteSource(string connection) =>
        Folder.Write("sources/central.yml", $"""
            name: central
            type: postgres
            connection: "{connection}"
            tables:
              - name: chamados
                mode: incremental
                cursor: atualizado_em
              - name: atendentes
            """);

    private Task<RunSummary> Sync(bool replay = false) =>
        Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:central", Replay = replay });


    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
