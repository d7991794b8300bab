using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Cdc;

/// <summary>
/// A <c>postgres_cdc</c> source against the real test server (wal_level = logical): <c>alquimia cdc setup</c>, the
/// snapshot's handoff to the stream, every kind of change in bronze's feed, and seed 002's dm_customer applying it.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCdcTests : PostgresProjectTests
{
    private readonly string _slot;

    public PostgresCdcTests(PostgresServer server)
        : base(server, "name: loja\nretries: 0\n")
    {
        _slot = CdcCustomers.Create(Folder, Database);
    }

    [Fact]
    public void Setup_NamesEveryUnmetPrerequisiteWithItsFix_ThenCreatesThePublicationAndSlot_Idempotently()
    {
        PostgresServer.Execute(Database, "CREATE TABLE products (sku text, price numeric(10,2))");
        Folder.Write("sources/loja.yml", $"name: loja\ntype: postgres_cdc\nconnection: \"{Database}\"\nslot: {_slot}\npublication: {_slot}\ntables:\n  - name: customers\n  - name: products\n  - name: nowhere\n");

        var refused = ChangeCapture.Setup(Folder.Load(), null).Single();
        var slotsAfterRefusal = PostgresServer.Query(Server.ConnectionString, $"SELECT slot_name::text FROM pg_replication_slots WHERE slot_name = '{_slot}'");
        PostgresServer.Execute(Database, "ALTER TABLE products ADD PRIMARY KEY (sku)");
        Folder.Write("sources/loja.yml", $"name: loja\ntype: postgres_cdc\nconnection: \"{Database}\"\nslot: {_slot}\npublication: {_slot}\ntables:\n  - name: customers\n  - name: products\n");
        var created = ChangeCapture.Setup(Folder.Load(), null).Single();
        var again = ChangeCapture.Setup(Folder.Load(), "loja").Single();

        Assert.Contains("table public.products has no replica identity (no primary key)", refused.Error, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE public.products REPLICA IDENTITY FULL", refused.Error, StringComparison.Ordinal);
        Assert.Contains("table public.nowhere does not exist", refused.Error, StringComparison.Ordinal);
        Assert.Empty(slotsAfterRefusal);
        Assert.Null(created.Error);
        Assert.StartsWith($"publication {_slot}: created, with customers, products", created.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"slot {_slot}: created at ", created.Lines[1], StringComparison.Ordinal);
        Assert.Equal($"publication {_slot}: already there, with every table", again.Lines[0]);
        Assert.StartsWith($"slot {_slot}: already there", again.Lines[1], StringComparison.Ordinal);
        Assert.Equal(["customers", "products"], PostgresServer.Query(Database, $"SELECT tablename::text FROM pg_publication_tables WHERE pubname = '{_slot}' ORDER BY 1"));
    }

    [Fact]
    public async Task ASyncWithoutSetup_FailsNamingTheSlotAndTheCommand()
    {
        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.Contains($"the replication slot '{_slot}' does not exist", step.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'alquimia cdc setup'", step.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnapshotThenStream_UnderConcurrentWrites_LosesAndDoublesNoChange_AndDmCustomerIsTheSourceRowForRow()
    {
        Setup();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() => CdcCustomers.Write(Database, stop.Token));
        await Task.Delay(300);

        var first = await Runs.RunAsync(Folder.Load(), new RunOptions());
        await Task.Delay(300);
        var second = await Runs.RunAsync(Folder.Load(), new RunOptions());
        await stop.CancelAsync();
        var writes = await writer;
        var third = await Runs.RunAsync(Folder.Load(), new RunOptions());

        Assert.All(new[] { first, second, third }.SelectMany(run => run.Steps), step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.True(writes > 20, $"the writer committed only {writes} transactions while the syncs ran");
        Assert.Equal(CdcCustomers.SourceRows(Database), Query(CdcCustomers.DmCustomerRows));
        // Every change is in the feed once: the snapshot's rows and the streamed changes never overlap.
        Assert.Equal(["0"], Query("SELECT count(*) FROM (SELECT _seq FROM bronze.customers GROUP BY _seq, id HAVING count(*) > 1)"));
        Assert.Equal(["True"], Query("SELECT count(*) FILTER (WHERE _op = 'snapshot') >= 200 AND count(*) FILTER (WHERE _op <> 'snapshot') > 0 FROM bronze.customers"));
    }

    [Fact]
    public async Task EveryKindOfChange_LandsInTheFeed_InCommitOrder_WithItsLsnTimeAndTransaction()
    {
        Setup();
        await Sync();
        var big = new string('x', 300_000);
        PostgresServer.Execute(Database, $"""
            BEGIN;
            UPDATE customers SET bio = '{big}' WHERE id = 1;
            INSERT INTO customers VALUES (201, 'nova', 10.00, NULL);
            COMMIT;
            UPDATE customers SET name = 'renamed' WHERE id = 1;
            DELETE FROM customers WHERE id = 2;
            UPDATE customers SET id = 300 WHERE id = 3;
            """);

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Equal(
            // The last four statements went in one query, which PostgreSQL runs as one transaction.
            ["1|update|2|300000", "201|insert|2|NULL", "1|update|4|300000", "2|delete|4|NULL", "3|delete|4|NULL", "300|update|4|NULL"],
            Query("""
                SELECT id || '|' || _op || '|' || count(*) OVER (PARTITION BY _lsn) || '|' || coalesce(CAST(length(bio) AS VARCHAR), 'NULL')
                FROM bronze.customers WHERE _op <> 'snapshot' ORDER BY _seq
                """));
        // The unchanged 300 kB bio of the rename (not sent again under REPLICA IDENTITY DEFAULT) is the value before it, never NULL.
        Assert.Equal(["True"], Query($"SELECT bio = '{big}' FROM bronze.customers WHERE name = 'renamed'"));
        Assert.Equal(["renamed|1.25"], Query("SELECT name || '|' || CAST(saldo AS VARCHAR) FROM bronze.customers WHERE _op = 'update' AND id = 1 AND name = 'renamed'"));
        Assert.Equal(["2"], Query("SELECT count(DISTINCT _xid) FROM bronze.customers WHERE _op = 'update' AND id = 1"));
        Assert.Equal(["True"], Query("SELECT bool_and(_commit_ts > now() - INTERVAL 1 HOUR AND _lsn LIKE '%/%') FROM bronze.customers WHERE _op <> 'snapshot'"));
    }

    [Fact]
    public async Task ReplicaIdentityFull_GivesTheOldRowOfAnUpdateAsJson_AndTheWholeRowOfADelete()
    {
        var big = new string('y', 300_000);
        PostgresServer.Execute(Database, $"ALTER TABLE customers REPLICA IDENTITY FULL; UPDATE customers SET bio = '{big}' WHERE id = 1;");
        Setup();
        await Sync();
        PostgresServer.Execute(Database, "UPDATE customers SET name = 'novo nome', saldo = 99.99 WHERE id = 1");
        PostgresServer.Execute(Database, "DELETE FROM customers WHERE id = 2");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Equal(
            ["update|novo nome|99.99|cliente 1|1.25|true", "delete|cliente 2|2.50|NULL|NULL|NULL"],
            Query("""
                SELECT _op || '|' || name || '|' || CAST(saldo AS VARCHAR) || '|' || coalesce(_old->>'name', 'NULL') || '|' || coalesce(CAST(_old->>'saldo' AS VARCHAR), 'NULL')
                       || '|' || coalesce(CAST(length(bio) = 300000 AS VARCHAR), 'NULL')
                FROM bronze.customers WHERE _op <> 'snapshot' ORDER BY _seq
                """));
    }

    [Fact]
    public async Task DeclaredColumns_GiveTheFeedItsChangeColumnsBeforeTheFirstSync_SoSetupCreatesTheModelsOverIt()
    {
        // Declared columns let `alquimia setup` (and the Databricks deploy) create bronze before any change has landed.
        Folder.Write("sources/loja.yml", $$"""
            name: loja
            type: postgres_cdc
            connection: "{{Database}}"
            slot: {{_slot}}
            publication: {{_slot}}
            schema_evolution: fail
            tables:
              - name: customers
                columns:
                  - {name: id, type: INTEGER}
                  - {name: name, type: VARCHAR}
                  - {name: saldo, type: "DECIMAL(10,2)"}
                  - {name: bio, type: VARCHAR}
            """);

        var setup = Runs.Setup(Folder.Load());
        var columns = Query("SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'bronze' AND table_name = 'customers' ORDER BY ordinal_position");
        Setup();
        var run = await Runs.RunAsync(Folder.Load(), new RunOptions());

        Assert.All(setup.Items, item => Assert.True(item.Outcome != SetupOutcome.Failed, $"{item.Name}: {item.Message}"));
        Assert.Equal(
            ["id INTEGER", "name VARCHAR", "saldo DECIMAL(10,2)", "bio VARCHAR",
             "_op VARCHAR", "_seq DECIMAL(38,0)", "_lsn VARCHAR", "_commit_ts TIMESTAMP WITH TIME ZONE", "_xid BIGINT", "_old JSON"],
            columns.Take(10));
        Assert.All(run.Steps, step => Assert.True(step.Status == RunStatus.Succeeded, $"{step.Model}: {step.Error}"));
        Assert.Equal(CdcCustomers.SourceRows(Database), Query(CdcCustomers.DmCustomerRows));
    }

    [Fact]
    public async Task ASyncWithNothingNew_LandsNothing_AndTheSlotIsAcknowledgedUpToWhatDuckDbCommitted()
    {
        Setup();
        await Sync();
        var stored = Query("SELECT value FROM _alquimia.source_cursors WHERE source = 'loja' AND table_name = 'customers'").Single();

        var again = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, again.Status);
        Assert.Equal(0, again.RowsInserted);
        Assert.Equal(["200"], Query("SELECT count(*) FROM bronze.customers"));
        var confirmed = PostgresServer.Query(Server.ConnectionString, $"SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '{_slot}'").Single();
        Assert.True(
            PostgresServer.Query(Database, $"SELECT ('{confirmed}'::pg_lsn >= '{stored}'::pg_lsn)::text").Single() == "true",
            $"the slot is at {confirmed}, behind the position {stored} the first sync committed");
    }

    [Fact]
    public async Task TruncateAndAColumnAddedMidStream_ArriveInTheFeed_AndDmCustomerFollows()
    {
        Setup();
        await Runs.RunAsync(Folder.Load(), new RunOptions());
        PostgresServer.Execute(Database, """
            INSERT INTO customers VALUES (500, 'antes', 1.00, NULL);
            ALTER TABLE customers ADD COLUMN estado char(2);
            INSERT INTO customers VALUES (501, 'depois', 2.00, NULL, 'SP');
            TRUNCATE customers;
            INSERT INTO customers VALUES (7, 'sete', 7.00, NULL, 'RJ');
            """);

        var run = await Runs.RunAsync(Folder.Load(), new RunOptions());

        Assert.All(run.Steps, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(["500|insert|NULL", "501|insert|SP", "NULL|truncate|NULL", "7|insert|RJ"],
            Query("SELECT coalesce(CAST(id AS VARCHAR), 'NULL') || '|' || _op || '|' || coalesce(estado, 'NULL') FROM bronze.customers WHERE _op <> 'snapshot' ORDER BY _seq"));
        Assert.Equal(["7|sete|RJ"], Query("SELECT id || '|' || name || '|' || estado FROM silver.dm_customer"));
    }

    [Fact]
    public async Task AFailedSync_AcknowledgesNothing_AndTheNextOneLandsItsChangesOnce()
    {
        Setup();
        await Sync();
        PostgresServer.Execute(Database, "UPDATE customers SET saldo = saldo + 1 WHERE id <= 10");
        // bronze.customers cannot take the sync: a view of that name stands where the table was.
        OnWarehouse("ALTER TABLE bronze.customers RENAME TO customers_kept; CREATE VIEW bronze.customers AS SELECT * FROM bronze.customers_kept");

        var failed = (await Sync()).Steps.Single();
        OnWarehouse("DROP VIEW bronze.customers; ALTER TABLE bronze.customers_kept RENAME TO customers");

        var retried = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Single(Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "loja", "customers", ".superseded"), "*.parquet", SearchOption.AllDirectories));
        Assert.Equal(RunStatus.Succeeded, retried.Status);
        Assert.Equal(["10"], Query("SELECT count(*) FROM bronze.customers WHERE _op = 'update'"));
    }

    private void OnWarehouse(string sql)
    {
        using var connection = new CheckedConnection($"Data Source={Folder.Load().WarehousePath}");
        connection.Open();
        connection.Execute(sql);
    }

    private void Setup() => Assert.Null(ChangeCapture.Setup(Folder.Load(), null).Single().Error);

    private Task<RunSummary> Sync() => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:loja" });

}
