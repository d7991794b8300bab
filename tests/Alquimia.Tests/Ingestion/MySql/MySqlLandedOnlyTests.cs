using System.Text.Json.Nodes;
using Alquimia.Alerts;
using Alquimia.Deploy.Databricks;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alquimia.Tests.Ingestion.MySql;

/// <summary>
/// A source that lands without loading (<c>bronze: false</c>, seed 003: the Parquet is the product): each table lands,
/// checked, and nothing else; removed, the next sync loads every batch landed so far.
/// </summary>
[Collection(MariaDbTests.Name)]
public sealed class MySqlLandedOnlyTests : MariaDbProjectTests
{
    public MySqlLandedOnlyTests(MariaDbServer server)
        : base(server, "name: radar\nretries: 0\nlineage:\n  file: lineage/events.jsonl\nlanding:\n  partition: cog_dt_ingestion\njobs:\n  - name: radar_sync\n    schedule: \"0 2 * * *\"\n    select: \"source:vendas\"\n")
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE store (id INT PRIMARY KEY, nome VARCHAR(20));
            CREATE TABLE store_metrics (id INT, vendas DECIMAL(12,2));
            INSERT INTO store VALUES (1, 'Farmácia Central'), (2, 'Drogaria 😀'), (3, 'Botica');
            INSERT INTO store_metrics VALUES (1, 10.50), (2, 0.01);
            """);
    }

    [Fact]
    public async Task BronzeFalse_LandsEachTableChecked_WithoutBronze_AndTheFirstSyncWithBronzeLoadsEveryBatchLanded()
    {
        WriteSource(Tables("store", "store_metrics"), "bronze: false\n");

        var first = await Sync();

        Assert.All(first.Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(3, first["store"].RowsInserted);
        Assert.Equal(["0"], Query("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'bronze'"));
        Assert.Equal(["store:3:0:0", "store_metrics:2:0:0"], Query("SELECT table_name || ':' || rows_landed || ':' || rows_loaded || ':' || files FROM _alquimia.source_syncs ORDER BY table_name"));
        Assert.Equal(["1|Farmácia Central", "2|Drogaria 😀", "3|Botica"], Query($"SELECT id || '|' || nome FROM read_parquet('{Landed("store")}') ORDER BY id"));
        // The sync's output, for lineage, is the landing itself.
        var completed = File.ReadAllLines(Path.Combine(Folder.Path, "lineage", "events.jsonl")).Select(line => JsonNode.Parse(line)!).Where(e => (string?)e["eventType"] == "COMPLETE").ToList();
        Assert.Equal(2, completed.Count);
        Assert.All(completed, e => Assert.Empty(e["inputs"]!.AsArray()));
        Assert.Equal(
            [$"file {LandingFolder("store")}", $"file {LandingFolder("store_metrics")}"],
            completed.Select(e => $"{e["outputs"]![0]!["namespace"]} {e["outputs"]![0]!["name"]}").Order(StringComparer.Ordinal));
        Assert.StartsWith("cog_dt_ingestion=", Path.GetFileName(Path.GetDirectoryName(Assert.Single(Directory.GetFiles(LandingFolder("store"), "*.parquet", SearchOption.AllDirectories)))), StringComparison.Ordinal);

        MariaDbServer.Execute(Database, "INSERT INTO store VALUES (4, 'Nova')");
        Assert.All((await Sync()).Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        var replay = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas", Replay = true });
        using (var warehouse = EmbeddedWarehouse.Open(Folder.Load()))
        {
            Assert.All(ProjectSetup.Run(warehouse, Folder.Load()).Items, item => Assert.Equal(SetupOutcome.LandedOnly, item.Outcome));
        }

        Assert.All(replay.Steps, step => Assert.Contains("lands its tables without loading them (bronze: false in vendas.yml), so there is no bronze to rebuild", step.Error, StringComparison.Ordinal));
        Assert.Equal(["7"], Query($"SELECT count(*) FROM read_parquet('{Landed("store")}')"));

        WriteSource(Tables("store", "store_metrics"));
        Assert.All((await Sync()).Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));

        // Three full copies of the table, one per sync: the two landed before, and this one.
        Assert.Equal(["3|3", "4|4", "4|4"], Query("SELECT count(*) || '|' || max(id) FROM bronze.store GROUP BY _source_file ORDER BY 1"));
        Assert.Equal(["6"], Query("SELECT count(*) FROM bronze.store_metrics"));
    }

    [Fact]
    public async Task BronzeEmptyAlert_WatchesTheRowsLanded_OfALandedOnlyTable_FoundByTablesAll()
    {
        await using var receiver = await HttpReceiver.StartAsync();
        MariaDbServer.Execute(Database, "CREATE TABLE store_vazia (id INT)");
        Folder.Write("alquimia.yml", "name: radar\nalerts:\n  channels:\n    plantao: {type: webhook, url_env: ALERT_URL}\n  rules:\n    - name: tabela_vazia\n      when: bronze_empty\n      notify: plantao\n");
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: mysql\nconnection: \"{Database}\"\nbronze: false\ntables: all\ninclude: [store*]\n");
        var project = Folder.Load();
        var summary = await Runs.RunAsync(project, new RunOptions());
        using var warehouse = EmbeddedWarehouse.Open(project);
        using var http = new HttpClient();
        var channels = AlertChannels.Create(project, name => name == "ALERT_URL" ? $"{receiver.Address}/plantao" : null, http);

        await new AlertEvaluator(project, warehouse, channels, TimeProvider.System, NullLogger.Instance).RunEnded(summary, null, CancellationToken.None);

        // The empty table fires, by its rows landed; the others do not, and none is looked for in bronze, which has none.
        var fired = Assert.Single(receiver.At("/plantao"));
        Assert.Equal("bronze.store_vazia", fired.GetProperty("subject").GetString());
        Assert.StartsWith("bronze.store_vazia landed no rows in run", fired.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestCli_PrintsTheRowsLanded_ForALandedOnlySource_FoundByTablesAll()
    {
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: mysql\nconnection: \"{Database}\"\nbronze: false\ntables: all\ninclude: [store*]\n");

        var ingest = await CliProcess.RunAsync(["ingest", "--project", Folder.Path]);

        Assert.True(ingest.ExitCode == 0, ingest.Output + ingest.Error);
        Assert.Matches(@"│ vendas\.store\s+│ full_refresh, landed only │ succeeded\s+│\s+3 │\s+- │", ingest.Output);
        Assert.Matches(@"│ vendas\.store_metrics\s+│ full_refresh, landed only │ succeeded\s+│\s+2 │\s+- │", ingest.Output);

        var quality = await CliProcess.RunAsync(["quality", "--project", Folder.Path]);
        WriteSource(Tables("store", "store_metrics"), "bronze: false\n");
        var status = await CliProcess.RunAsync(["status", "--project", Folder.Path]);

        // Loading nothing into bronze is what the source asks: no 0 marked, no relation "missing".
        Assert.Matches(@"│ vendas\.store\s+│ full_refresh, landed only │\s+0 │\s+3 │\s+- │", quality.Output);
        Assert.Matches(@"│ bronze\.store\s+│\s+landed only │ succeeded", status.Output);
        Assert.DoesNotContain("missing", status.Output, StringComparison.Ordinal);

        // A replay of everything leaves such a source out; with nothing else, it says why.
        Folder.Write("sources/arquivos.yml", "name: arquivos\nformat: csv\ntables:\n  - name: notas\n");
        Folder.Write("lake/landing/arquivos/notas/ingestion_date=2026-01-01/a.csv", "id\n1\n2\n");
        var replay = await CliProcess.RunAsync(["ingest", "--project", Folder.Path, "--replay"]);
        File.Delete(Path.Combine(Folder.Path, "sources", "arquivos.yml"));
        var nothing = await CliProcess.RunAsync(["ingest", "--project", Folder.Path, "--replay"]);

        Assert.True(replay.ExitCode == 0, replay.Output + replay.Error);
        Assert.Matches(@"│ arquivos\.notas\s+│ replay\s+│ succeeded\s+│\s+2 │", replay.Output);
        Assert.DoesNotContain("vendas.store", replay.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, nothing.ExitCode);
        Assert.Contains("Nothing to replay: every source lands its tables without loading them (bronze: false)", nothing.Output + nothing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_LeavesOutAJobThatOnlySyncsALandedOnlySource()
    {
        WriteSource(Tables("store"), "bronze: false\n");
        using var output = new TempDirectory();

        var written = BundleWriter.Write(Folder.Load(), Path.Combine(output.Path, "bundle"));

        Assert.Empty(written.Jobs);
        Assert.Equal(["radar_sync"], written.JobsLeftOut);
        Assert.DoesNotContain(written.Files, file => file.StartsWith("resources/", StringComparison.Ordinal));
    }

    private string LandingFolder(string table) => Path.Combine(Folder.Path, "lake", "landing", "vendas", table);

    private string Landed(string table) => Path.Combine(LandingFolder(table), "**", "*.parquet");
}
