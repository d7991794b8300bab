using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>
/// What an incremental sync guarantees (docs/projects.md, "Incremental cursors"), against the real server with
/// concurrent transactions: bronze's latest version of every row is PostgreSQL's, whatever order the changes came in,
/// including rows committed after a sync with an older cursor value, rows with a NULL or non-finite cursor, and
/// identical rows of a table without a key; and a row is never landed twice.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresIncrementalSemanticsTests : PostgresProjectTests
{
    /// <summary>Each key's latest landed status, bronze's arrival order deciding.</summary>
    private const string LatestStatus =
        "SELECT id || ':' || status FROM bronze.chamados QUALIFY row_number() OVER (PARTITION BY id ORDER BY _ingestion_timestamp DESC) = 1 ORDER BY id";

    public PostgresIncrementalSemanticsTests(PostgresServer server)
        : base(server, "name: central\n")
    {
    }

    [Fact]
    public async Task AThenBThenAAtTheSameCursorValue_LandsTheLastA()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em date", "(1, 'A', '2026-01-01'), (2, 'A', '2026-01-01')");
        await Sync();
        PostgresServer.Execute(Database, "UPDATE chamados SET status = 'B' WHERE id = 1");
        await Sync();
        PostgresServer.Execute(Database, "UPDATE chamados SET status = 'A' WHERE id = 1");

        var third = await Sync();

        Assert.Equal(1L, third.Steps.Single().RowsInserted);
        Assert.Equal(["1:A", "2:A"], Query(LatestStatus));
        Assert.Equal(0L, (await Sync()).Steps.Single().RowsInserted);
    }

    [Fact]
    public async Task ARowCommittedAfterASync_WithAnOlderCursorValue_IsLandedByTheNext()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em timestamptz", "(1, 'aberto', '2026-01-01 10:00:00+00')");
        await Sync();
        using var late = new NpgsqlConnection(Database);
        late.Open();
        using var transaction = late.BeginTransaction();
        // Stamped when its transaction began (updated_at default now()), committed after the sync below.
        Execute(late, transaction, "INSERT INTO chamados VALUES (2, 'aberto', '2026-01-01 10:05:00+00'); UPDATE chamados SET status = 'fechado', atualizado_em = '2026-01-01 10:05:00+00' WHERE id = 1");
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', '2026-01-01 10:05:07+00')");
        await Sync();
        Assert.Equal(["1:aberto", "3:aberto"], Query(LatestStatus));
        transaction.Commit();

        var next = await Sync();

        Assert.Equal(2L, next.Steps.Single().RowsInserted);
        Assert.Equal(["1:fechado", "2:aberto", "3:aberto"], Query(LatestStatus));
        Assert.Equal(0L, (await Sync()).Steps.Single().RowsInserted);
    }

    [Fact]
    public async Task ALookback_ReadsAgainAsFarBehindAsItSays()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em timestamp", "(1, 'aberto', '2026-01-01 10:00:00')", lookback: "1 hour");
        await Sync();
        using var late = new NpgsqlConnection(Database);
        late.Open();
        using var transaction = late.BeginTransaction();
        Execute(late, transaction, "INSERT INTO chamados VALUES (2, 'aberto', '2026-01-01 10:30:00')");
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', '2026-01-01 11:00:00')");
        await Sync();
        transaction.Commit();

        await Sync();

        Assert.Equal(["1:aberto", "2:aberto", "3:aberto"], Query(LatestStatus));
    }

    [Fact]
    public async Task RowsWithANullCursor_AreLandedWhenTheyChange_AndNeverTwice()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em timestamp", "(1, 'aberto', NULL), (2, 'aberto', '2026-01-01 10:00:00')");
        await Sync();
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', NULL); UPDATE chamados SET status = 'fechado' WHERE id = 1");

        var next = await Sync();

        Assert.Equal(2L, next.Steps.Single().RowsInserted);
        Assert.Equal(["1:fechado", "2:aberto", "3:aberto"], Query(LatestStatus));
        Assert.Equal(0L, (await Sync()).Steps.Single().RowsInserted);
    }

    [Fact]
    public async Task ATableWhoseCursorsAreAllNull_IsNotLandedAgainAtEverySync()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em timestamp", "(1, 'aberto', NULL), (2, 'aberto', NULL)");
        await Sync();

        Assert.Equal(0L, (await Sync()).Steps.Single().RowsInserted);
        PostgresServer.Execute(Database, "UPDATE chamados SET status = 'fechado' WHERE id = 2");
        Assert.Equal(1L, (await Sync()).Steps.Single().RowsInserted);
        Assert.Equal(["1:aberto", "2:fechado"], Query(LatestStatus));
    }

    [Fact]
    public async Task ANaNCursor_DoesNotFreezeTheTable()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em float8", "(1, 'aberto', 1.5), (2, 'aberto', 'NaN'), (3, 'aberto', '-Infinity')");
        await Sync();
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (4, 'aberto', 2.5); UPDATE chamados SET status = 'fechado' WHERE id IN (2, 3)");

        var next = await Sync();

        Assert.Equal(3L, next.Steps.Single().RowsInserted);
        Assert.Equal(["1:aberto", "2:fechado", "3:fechado", "4:aberto"], Query(LatestStatus));
        Assert.Equal(["vendas|chamados|2.5"], Query("SELECT source || '|' || table_name || '|' || value FROM _alquimia.source_cursors"));
    }

    [Fact]
    public async Task AnInfiniteTimestampCursor_DoesNotFreezeTheTable()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em timestamp", "(1, 'aberto', '2026-01-01 10:00'), (2, 'aberto', 'infinity')");
        await Sync();
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', '2026-01-02 10:00')");

        var next = await Sync();

        Assert.Equal(1L, next.Steps.Single().RowsInserted);
        Assert.Equal(["1:aberto", "2:aberto", "3:aberto"], Query(LatestStatus));
    }

    [Fact]
    public async Task InATableWithoutAKey_ASecondIdenticalRowIsLanded_AndNoRowTwice()
    {
        PostgresServer.Execute(Database, "CREATE TABLE eventos (tipo text, criado_em timestamp); INSERT INTO eventos VALUES ('clique', '2026-01-01 10:00')");
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n  - name: eventos\n    mode: incremental\n    cursor: criado_em\n");
        await Sync();
        PostgresServer.Execute(Database, "INSERT INTO eventos VALUES ('clique', '2026-01-01 10:00')");

        await Sync();
        await Sync();

        Assert.Equal(["clique|2", "total|2"], Query("SELECT tipo || '|' || count(*) FROM bronze.eventos GROUP BY tipo UNION ALL SELECT 'total|' || count(*) FROM bronze.eventos ORDER BY 1"));
    }

    [Fact]
    public async Task ATimestamptzCursorInLocalMeanTime_IsNotLandedTwice()
    {
        // São Paulo kept its local mean time, 3:06:28 behind UTC, until 1914.
        PostgresServer.Execute(Database, "ALTER DATABASE " + new NpgsqlConnectionStringBuilder(Database).Database + " SET timezone = 'America/Sao_Paulo'");
        Table("id int4 PRIMARY KEY, status text, atualizado_em timestamptz", "(1, 'aberto', '1900-01-01 00:00:00.5'), (2, 'aberto', '1900-01-01 00:00:01')");
        await Sync();

        Assert.Equal(0L, (await Sync()).Steps.Single().RowsInserted);
        Assert.Equal(["vendas|chamados|1900-01-01 03:06:29+00"], Query("SELECT source || '|' || table_name || '|' || value FROM _alquimia.source_cursors"));
    }

    [Fact]
    public async Task RowsReadAgain_AreComparedWithTheFilesAFailedSyncLanded_TheirLatestVersionsIncluded()
    {
        Table("id int4 PRIMARY KEY, status text, atualizado_em timestamp", "(1, 'a', '2026-01-01 10:00')");
        await Sync();
        PostgresServer.Execute(Database, "UPDATE chamados SET status = 'b', atualizado_em = '2026-01-01 10:01' WHERE id = 1; INSERT INTO chamados VALUES (2, 'a', '2026-01-01 10:02')");
        // The sync lands its files, then cannot record itself: bronze does not take them, and they wait in the lake.
        await Assert.ThrowsAsync<AlquimiaException>(
            () => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas", Faults = FaultInjection.DiskFullFrom("bronze.chamados") }));
        Assert.Equal(["1"], Query("SELECT count(*) FROM bronze.chamados"));
        PostgresServer.Execute(Database, "UPDATE chamados SET status = 'c' WHERE id = 1");

        var next = await Sync();

        // Bronze takes the waiting files (1:b, 2:a) and the one row changed since (1:c); 2:a, read again, is not landed twice.
        Assert.Equal(3L, next.Steps.Single().RowsInserted);
        Assert.Equal(["1:c", "2:a"], Query(LatestStatus));
        Assert.Equal(["4"], Query("SELECT count(*) FROM bronze.chamados"));
    }

    [Fact]
    public async Task ALookbackThatDoesNotSuitTheCursor_FailsTheTable_NamingIt()
    {
        PostgresServer.Execute(Database, "CREATE TABLE pedidos (id int8 PRIMARY KEY); INSERT INTO pedidos VALUES (1)");
        Folder.Write("alquimia.yml", "name: central\nretries: 0\n");
        Folder.Write(
            "sources/vendas.yml",
            $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n  - name: pedidos\n    mode: incremental\n    cursor: id\n    lookback: 10 minutes\n");
        await Sync();

        var next = await Sync();

        var error = next.Steps.Single().Error;
        Assert.Contains("the lookback '10 minutes' of table pedidos (vendas.yml:", error, StringComparison.Ordinal);
        Assert.Contains("cursor 'id', which is bigint: it takes a number, e.g. lookback: 1000", error, StringComparison.Ordinal);
    }

    private void Table(string columns, string rows, string? lookback = null)
    {
        PostgresServer.Execute(Database, $"CREATE TABLE chamados ({columns}); INSERT INTO chamados VALUES {rows}");
        Folder.Write(
            "sources/vendas.yml",
            $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n  - name: chamados\n    mode: incremental\n    cursor: atualizado_em\n"
            + (lookback is null ? "" : $"    lookback: {lookback}\n"));
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private Task<RunSummary> Sync() => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" });
}
