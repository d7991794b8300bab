using Alquimia.Orchestration;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Landing;

/// <summary><c>alquimia ingest --replay</c> of a files source: bronze rebuilt from landing alone, in one transaction per table.</summary>
public sealed class ReplayTests : IDisposable
{
    private const string Pedidos = "lake/landing/loja/pedidos";

    /// <summary>
    /// Bronze without the two columns a replay stamps anew, in a stable order, columns by name: a column that came in a
    /// later file was added after the metadata columns, and a replay creates it before them.
    /// </summary>
    private const string BronzeRows = "SELECT id_pedido, valor, cupom, _source FROM bronze.pedidos ORDER BY ALL";

    private const string BronzeColumns = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'pedidos' ORDER BY column_name";

    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public ReplayTests()
    {
        _folder
            .Write("alquimia.yml", "name: loja\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n  - name: clientes\n")
            .Write($"{Pedidos}/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10\n2,20\n")
            .Write("lake/landing/loja/clientes/ingestion_date=2026-01-01/a.csv", "id_cliente,nome\n1,Ana\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Replay_RebuildsBronzeEqualToTheOriginal_ExceptItsBatchAndStamps_KeepingTheOrderOfVersions()
    {
        await Ingest();
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-02/b.csv", "id_pedido,valor,cupom\n1,11,NATAL\n3,30,\n");
        await Ingest();
        var (original, originalColumns) = (Query(BronzeRows), Query(BronzeColumns));
        var originalOrder = Query("SELECT id_pedido, valor FROM bronze.pedidos ORDER BY _ingestion_timestamp, id_pedido");

        var replay = await Ingest(replay: true);

        Assert.True(replay.Succeeded);
        Assert.Equal(["bronze.clientes|replay|succeeded", "bronze.pedidos|replay|succeeded"],
            replay.Steps.Select(step => $"{step.Model}|{step.Materialization}|{step.Status.ToString().ToLowerInvariant()}").Order(StringComparer.Ordinal));
        Assert.Equal(original, Query(BronzeRows));
        Assert.Equal(originalColumns, Query(BronzeColumns));
        Assert.Equal(originalOrder, Query("SELECT id_pedido, valor FROM bronze.pedidos ORDER BY _ingestion_timestamp, id_pedido"));
        Assert.Equal([$"{replay.Run.RunId}-pedidos"], Query("SELECT DISTINCT _batch_id FROM bronze.pedidos"));
        Assert.Equal(["2|1"], Query($"SELECT count(*), count(DISTINCT batch_id) FROM _alquimia.ingested_files WHERE table_name = 'pedidos'"));
        Assert.Equal(["replay|NULL|4|2"], Query($"SELECT mode, coalesce(rows_landed::VARCHAR, 'NULL'), rows_loaded, files FROM _alquimia.source_syncs WHERE run_id = '{replay.Run.RunId}' AND table_name = 'pedidos'"));

        // Bronze is caught up: the next ingestion finds nothing new.
        Assert.Equal(0, (await Ingest()).Steps.Sum(step => step.RowsInserted));
    }

    [Fact]
    public async Task Replay_OfOneTable_LeavesTheOthersAsTheyAre()
    {
        await Ingest();
        var clientes = Query("SELECT * FROM bronze.clientes");

        await Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "bronze.pedidos", Replay = true });

        Assert.Equal(clientes, Query("SELECT * FROM bronze.clientes"));
    }

    [Fact]
    public async Task Replay_WithALandingFileGone_FailsNamingIt_AndLeavesBronzeAsItWas()
    {
        await Ingest();
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n3,30\n");
        await Ingest();
        var before = Query("SELECT * FROM bronze.pedidos ORDER BY ALL");
        File.Delete(Path.Combine(_folder.Path, Pedidos, "ingestion_date=2026-01-01", "a.csv"));

        var replay = await Ingest(replay: true);

        var failed = replay.Steps.Single(step => step.Model == "bronze.pedidos");
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith(
            "Cannot replay bronze.pedidos of source 'loja': 1 of the 2 landing files it was loaded from are gone from the lake (first: landing/loja/pedidos/ingestion_date=2026-01-01/a.csv)",
            failed.Error, StringComparison.Ordinal);
        Assert.Equal(before, Query("SELECT * FROM bronze.pedidos ORDER BY ALL"));
        Assert.Equal(["2"], Query("SELECT count(*) FROM _alquimia.ingested_files WHERE table_name = 'pedidos'"));
    }

    [Fact]
    public async Task Replay_WithALandingFileNoLongerReadable_FailsNamingIt_AndNeitherMovesItNorTouchesBronze()
    {
        await Ingest();
        var before = Query("SELECT * FROM bronze.pedidos ORDER BY ALL");
        var damaged = Path.Combine(_folder.Path, Pedidos, "ingestion_date=2026-01-01", "a.csv");
        File.WriteAllBytes(damaged, [.. "id_pedido,valor\n1,"u8, 0xFF, 0xFE, (byte)'\n']);

        var replay = await Ingest(replay: true);

        var step = replay.Steps.Single(step => step.Model == "bronze.pedidos");
        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.StartsWith("Cannot replay bronze.pedidos of source 'loja': landing file landing/loja/pedidos/ingestion_date=2026-01-01/a.csv cannot be read (", step.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(damaged));
        Assert.Equal(before, Query("SELECT * FROM bronze.pedidos ORDER BY ALL"));
    }

    [Fact]
    public async Task ACrashBeforeTheReplayCommits_LeavesBronzeAndItsFileRecordsAsBefore()
    {
        await Ingest();
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n3,30\n");
        await Ingest();
        var before = Query("SELECT * FROM bronze.pedidos ORDER BY ALL");
        var files = Query("SELECT * FROM _alquimia.ingested_files ORDER BY ALL");

        var crashed = await CliProcess.RunAsync(
            ["ingest", "--project", _folder.Path, "--table", "pedidos", "--replay"],
            environment: new Dictionary<string, string> { ["ALQUIMIA_CRASH_BEFORE_COMMIT"] = "bronze.pedidos" });

        Assert.NotEqual(0, crashed.ExitCode);
        Assert.Contains("crashing before bronze.pedidos commits", crashed.Error, StringComparison.Ordinal);
        Assert.Equal(before, Query("SELECT * FROM bronze.pedidos ORDER BY ALL"));
        Assert.Equal(files, Query("SELECT * FROM _alquimia.ingested_files ORDER BY ALL"));
        Assert.Equal(["0"], Query("SELECT count(*) FROM _alquimia.source_syncs WHERE mode = 'replay'"));
    }

    private Task<RunSummary> Ingest(bool replay = false) =>
        Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "source:loja", Replay = replay });

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
