using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Cdc;

/// <summary>
/// A CDC source through what production does to it: the process killed (no cleanup) between reading the stream and
/// committing, and between committing and acknowledging the slot; the server restarted; a key deleted and inserted
/// again; a slot PostgreSQL invalidated. After each, dm_customer is the source, row for row, and no change is in
/// bronze's feed twice.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCdcRecoveryTests : PostgresProjectTests
{
    private readonly string _slot;

    public PostgresCdcRecoveryTests(PostgresServer server)
        : base(server, "name: loja\nretries: 0\nmax_parallelism: 1\n")
    {
        _slot = CdcCustomers.Create(Folder, Database);
        Assert.Null(ChangeCapture.Setup(Folder.Load(), null).Single().Error);
    }

    [Theory]
    [InlineData("bronze.customers")]
    [InlineData("silver.dm_customer")]
    public async Task KilledBetweenReadingAndCommitting_OrBetweenCommittingAndAcknowledging_LosesAndDoublesNothing(string crashBefore)
    {
        Assert.Equal(0, (await Cli()).ExitCode);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() => CdcCustomers.Write(Database, stop.Token));
        await Task.Delay(300);

        // Killed before that step commits: before bronze takes what was read, or after it did and before the run
        // ended, which is when the slot is acknowledged.
        var crashed = await Cli(crashBefore);
        await Task.Delay(200);
        var after = await Cli();
        await stop.CancelAsync();
        await writer;
        var last = await Cli();

        Assert.NotEqual(0, crashed.ExitCode);
        Assert.Contains($"crashing before {crashBefore} commits", crashed.Error, StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0 && last.ExitCode == 0, after.Error + last.Error);
        Assert.Equal(CdcCustomers.SourceRows(Database), Query(CdcCustomers.DmCustomerRows));
        Assert.Equal(["0"], Query("SELECT count(*) FROM (SELECT 1 FROM bronze.customers GROUP BY _seq, id HAVING count(*) > 1)"));
    }

    [Fact]
    public async Task AServerRestart_BetweenAndDuringChanges_LosesAndDoublesNothing()
    {
        await Run();
        PostgresServer.Execute(Database, "UPDATE customers SET saldo = saldo * 2 WHERE id <= 50; DELETE FROM customers WHERE id > 190;");
        // Immediate mode: no shutdown checkpoint, so the slot may come back at an older confirmed position.
        Server.Restart();
        PostgresServer.Execute(Database, "INSERT INTO customers VALUES (900, 'depois do restart', 9.00, NULL)");

        var run = await Run();

        Assert.All(run.Steps, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(CdcCustomers.SourceRows(Database), Query(CdcCustomers.DmCustomerRows));
        Assert.Equal(["50|10|1"], Query("SELECT count(*) FILTER (WHERE _op = 'update') || '|' || count(*) FILTER (WHERE _op = 'delete') || '|' || count(*) FILTER (WHERE _op = 'insert') FROM bronze.customers"));
    }

    [Fact]
    public async Task AKeyDeletedAndInsertedAgain_IsBackWithItsNewValues_InTheSameSyncOrTheNext()
    {
        await Run();
        PostgresServer.Execute(Database, "DELETE FROM customers WHERE id IN (5, 6); INSERT INTO customers VALUES (5, 'de volta', 0.50, NULL);");
        await Run();
        PostgresServer.Execute(Database, "INSERT INTO customers VALUES (6, 'voltou depois', 0.60, NULL)");

        await Run();

        Assert.Equal(["5|de volta|0.50", "6|voltou depois|0.60"], Query("SELECT id || '|' || name || '|' || CAST(saldo AS VARCHAR) FROM silver.dm_customer WHERE id IN (5, 6) ORDER BY id"));
        Assert.Equal(CdcCustomers.SourceRows(Database), Query(CdcCustomers.DmCustomerRows));
    }

    [Fact]
    public async Task ASlotPostgresInvalidated_FailsTheSyncWithTheFix_ThenANewSnapshotReplacesTheFeed()
    {
        await Run();
        PostgresServer.Execute(Server.ConnectionString, "ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'; SELECT pg_reload_conf();");
        try
        {
            // The slot is abandoned while the database writes: once its WAL passes the limit, a checkpoint invalidates it.
            PostgresServer.Execute(Database, "DELETE FROM customers WHERE id <= 100; CREATE TABLE filler AS SELECT repeat('x', 1000) AS x FROM generate_series(1, 3000);");
            for (var i = 0; i < 4 && PostgresServer.Query(Server.ConnectionString, $"SELECT coalesce(wal_status, '') FROM pg_replication_slots WHERE slot_name = '{_slot}'").Single() != "lost"; i++)
            {
                PostgresServer.Execute(Database, "INSERT INTO filler SELECT repeat('y', 1000) FROM generate_series(1, 3000); SELECT pg_switch_wal(); CHECKPOINT;");
            }

            Assert.Equal(["lost"], PostgresServer.Query(Server.ConnectionString, $"SELECT wal_status FROM pg_replication_slots WHERE slot_name = '{_slot}'"));
            var failed = (await Run()).Steps[0];
            PostgresServer.Execute(Database, $"SELECT pg_drop_replication_slot('{_slot}')");
            Assert.Null(ChangeCapture.Setup(Folder.Load(), null).Single().Error);
            PostgresServer.Execute(Database, "UPDATE customers SET name = 'depois' WHERE id = 150");
            var resynced = await Run();

            Assert.Equal(RunStatus.Failed, failed.Status);
            Assert.Contains($"the replication slot '{_slot}' was invalidated", failed.Error, StringComparison.Ordinal);
            Assert.Contains("run 'alquimia cdc setup'", failed.Error, StringComparison.Ordinal);
            Assert.All(resynced.Steps, step => Assert.Contains(step.Status, new[] { RunStatus.Succeeded, RunStatus.Warning }));
            Assert.Contains("snapshotted again", resynced.Steps.Single(step => step.Model == "bronze.customers").Warning, StringComparison.Ordinal);
            // The 100 deletes never reached the feed: the new snapshot's truncate takes them away.
            Assert.Equal(CdcCustomers.SourceRows(Database), Query(CdcCustomers.DmCustomerRows));
            Assert.Equal(["1"], Query("SELECT count(*) FROM bronze.customers WHERE _op = 'truncate'"));
        }
        finally
        {
            PostgresServer.Execute(Server.ConnectionString, "ALTER SYSTEM RESET max_slot_wal_keep_size; SELECT pg_reload_conf();");
        }
    }

    private Task<RunSummary> Run() => Runs.RunAsync(Folder.Load(), new RunOptions());

    private Task<CliResult> Cli(string? crashBefore = null) =>
        CliProcess.RunAsync(
            ["run", "--project", Folder.Path],
            environment: crashBefore is null ? null : new Dictionary<string, string> { ["ALQUIMIA_CRASH_BEFORE_COMMIT"] = crashBefore });
}
