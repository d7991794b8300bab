using Alquimia.Operations;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Scheduling;
using Alquimia.Warehouse;
using Microsoft.Extensions.DependencyInjection;

namespace Alquimia.Tests.Ingestion.Cdc;

/// <summary>
/// <c>alquimia serve</c> with a CDC source that says <c>continuous:</c>: the source and dm_customer below it run in
/// micro-batches while the server runs; /metrics tells the slot's lag and retained WAL; the <c>slot_at_risk</c>
/// alert reaches a real HTTP receiver before max_slot_wal_keep_size invalidates the slot.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ContinuousCaptureTests : PostgresProjectTests
{
    private readonly string _slot;

    public ContinuousCaptureTests(PostgresServer server)
        : base(server, "name: loja\nretries: 0\n")
    {
        _slot = CdcCustomers.Create(Folder, Database);
        Assert.Null(ChangeCapture.Setup(Folder.Load(), null).Single().Error);
    }

    [Fact]
    public async Task Serve_SyncsTheSourceAndDmCustomerInMicroBatches_AndMetricsTellTheSlot()
    {
        Folder.Write("sources/loja.yml", File.ReadAllText(Path.Combine(Folder.Path, "sources", "loja.yml")) + "continuous:\n  every: 1s\n  max_changes: 100\n");
        await using var server = await TestServer.StartAsync(Folder.Load());
        var warehouse = server.App.Services.GetRequiredService<EmbeddedWarehouse>();
        List<string> Read(string sql)
        {
            using var connection = warehouse.OpenConnection();
            return WarehouseRows.Of(connection, sql);
        }

        for (var i = 0; i < 300 && !Read("SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = 'dm_customer'").SequenceEqual(["True"]); i++)
        {
            await Task.Delay(100);
        }


        // 200 transactions of one change each: the micro-batches land at most 100 changes, the next starting at once.
        PostgresServer.Execute(Database, "DO $$ BEGIN FOR i IN 1..200 LOOP UPDATE customers SET saldo = saldo + 100 WHERE id = i; COMMIT; END LOOP; END $$;");
        PostgresServer.Execute(Database, "INSERT INTO customers VALUES (777, 'no servidor', 7.77, NULL)");
        for (var i = 0; i < 30 && CdcCustomers.SourceRows(Database).SequenceEqual(Read(CdcCustomers.DmCustomerRows)) is false; i++)
        {
            PostgresServer.Execute(Database, "UPDATE customers SET bio = NULL WHERE id = 1");
            await Task.Delay(1000);
        }

        Assert.Equal(CdcCustomers.SourceRows(Database), Read(CdcCustomers.DmCustomerRows));
        var runs = Read("SELECT count(*) FROM _alquimia.runs");
        Assert.True(int.Parse(runs[0], System.Globalization.CultureInfo.InvariantCulture) >= 3, $"only {runs[0]} micro-batches ran");
        // After the snapshot, no micro-batch landed more than max_changes.
        Assert.Equal(["True"], Read("""
            SELECT max(rows_inserted) <= 100 AND sum(rows_inserted) >= 201 FROM _alquimia.model_runs
            WHERE model = 'bronze.customers' AND run_id <> (SELECT min(run_id) FROM _alquimia.model_runs WHERE model = 'bronze.customers')
            """));
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains($"alquimia_cdc_slot_retained_wal_bytes{{source=\"loja\",slot=\"{_slot}\"}}", metrics, StringComparison.Ordinal);
        Assert.Contains($"alquimia_cdc_slot_lag_bytes{{source=\"loja\",slot=\"{_slot}\"}}", metrics, StringComparison.Ordinal);
        Assert.Contains($"alquimia_cdc_slot_lost{{source=\"loja\",slot=\"{_slot}\"}} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASlotRetainingMostOfMaxSlotWalKeepSize_FiresSlotAtRisk_BeforePostgresInvalidatesIt()
    {
        await using var receiver = await HttpReceiver.StartAsync();
        Folder.Write("alquimia.yml", """
            name: loja
            retries: 0
            alerts:
              channels:
                plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
              rules:
                - name: slot_em_risco
                  when: slot_at_risk
                  over: 0.5
                  notify: plantao
            """);
        PostgresServer.Execute(Server.ConnectionString, "ALTER SYSTEM SET max_slot_wal_keep_size = '64MB'; SELECT pg_reload_conf();");
        try
        {
            // Nothing syncs: the slot holds every byte of WAL written since it was created.
            PostgresServer.Execute(Database, "CREATE TABLE filler AS SELECT repeat(md5(i::text), 32) AS x FROM generate_series(1, 45000) AS i;");
            var environment = new Dictionary<string, string> { ["ALERT_WEBHOOK_URL"] = $"{receiver.Address}/plantao" };
            await using var server = await TestServer.StartAsync(Folder.Load(), options => options with { Environment = name => environment.GetValueOrDefault(name) });

            var firing = await receiver.WaitFor("/plantao", body => body.GetProperty("state").GetString() == "firing");

            Assert.Equal("slot_at_risk", firing.GetProperty("condition").GetString());
            Assert.Equal("loja", firing.GetProperty("subject").GetString());
            Assert.Contains($"The replication slot {_slot} of source loja retains", firing.GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.Contains("of max_slot_wal_keep_size (64 MB)", firing.GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.NotEqual("lost", PostgresServer.Query(Server.ConnectionString, $"SELECT wal_status FROM pg_replication_slots WHERE slot_name = '{_slot}'").Single());
        }
        finally
        {
            PostgresServer.Execute(Server.ConnectionString, "ALTER SYSTEM RESET max_slot_wal_keep_size; SELECT pg_reload_conf();");
        }
    }
}
