using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion;

/// <summary>The checks after each sync of a files source, and the record of every sync in <c>_alquimia.source_syncs</c>.</summary>
public sealed class SyncChecksTests : IDisposable
{
    private const string Lojas = "lake/landing/radar/store";

    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public SyncChecksTests()
    {
        _folder.Write("alquimia.yml", "name: radar\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WholeExports_ThatFallPastMaxRowDrop_OrComeBackEmpty_AreWarned_AndEverySyncIsRecorded()
    {
        // Seed 003: each night's files are a whole export of the table.
        WriteSource("checks: {max_row_drop: 0.5}\n");
        Land("2026-01-01", 10);
        var first = await Ingest();
        Land("2026-01-02", 6);
        var fewer = await Ingest();
        Land("2026-01-03", 2);
        var fell = await Ingest();
        var nothingNew = await Ingest();
        Land("2026-01-04", 0);
        var empty = await Ingest();

        Assert.Equal([RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Warning, RunStatus.Succeeded, RunStatus.Warning],
            new[] { first, fewer, fell, nothingNew, empty }.Select(summary => summary.Steps.Single().Status));
        Assert.Equal($"store: 2 rows, 66.7% fewer than the 6 of its previous sync (run {fewer.Run.RunId}); max_row_drop is 0.5", fell.Steps.Single().Warning);
        Assert.Equal($"store: came back empty, when its previous sync (run {fell.Run.RunId}) had 2 rows", empty.Steps.Single().Warning);
        Assert.Equal(
            ["files|10|10|1|NULL", "files|6|6|1|NULL", "files|2|2|1|row_drop", "files|NULL|0|0|NULL", "files|0|0|1|empty"],
            Query("SELECT mode, rows_landed, rows_loaded, files, CASE WHEN len(checks) > 0 THEN checks[1] END FROM _alquimia.source_syncs ORDER BY finished_at"));
        Assert.Equal(
            Query("SELECT run_id, warning FROM _alquimia.model_runs ORDER BY finished_at"),
            Query("SELECT run_id, warning FROM _alquimia.source_syncs ORDER BY finished_at"));
        Assert.Equal(["0"], Query("SELECT count(*) FROM _alquimia.source_syncs WHERE files > 0 AND bytes = 0"));
    }

    [Fact]
    public async Task FilesWithoutMaxRowDrop_AreAppends_AndSmallerOrEmptyBatchesAreNotWarned()
    {
        WriteSource("");
        Land("2026-01-01", 10);
        await Ingest();
        Land("2026-01-02", 0);

        var empty = await Ingest();

        Assert.Equal(RunStatus.Succeeded, empty.Steps.Single().Status);
        Assert.Equal(["0|[]|NULL"], Query("SELECT rows_landed, checks, coalesce(warning, 'NULL') FROM _alquimia.source_syncs ORDER BY finished_at DESC LIMIT 1"));
    }

    [Fact]
    public async Task ASyncLongerThanWarnAfter_IsWarned_AndAShorterOneIsNot()
    {
        // The clock moves a minute at every read, so the sync spans whole minutes: more than one, fewer than an hour.
        var clock = new SteppingClock(TimeSpan.FromMinutes(1));
        WriteSource("checks: {warn_after: 1h}\n");
        Land("2026-01-01", 3);
        var quick = await Ingest(clock);
        WriteSource("checks: {warn_after: 1m}\n");
        Land("2026-01-02", 3);
        var slow = await Ingest(clock);

        Assert.Equal(RunStatus.Succeeded, quick.Steps.Single().Status);
        Assert.Equal(RunStatus.Warning, slow.Steps.Single().Status);
        Assert.Matches(@"^store: the sync took \d+m, longer than warn_after 1m$", slow.Steps.Single().Warning);
        Assert.Equal(["slow"], slow.Syncs.Single().Checks);
        Assert.True(slow.Syncs.Single().Duration > TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task AFailedSync_LeavesNoRecord()
    {
        // A value that does not fit goes to _rescued_data; a new column under schema_evolution: fail fails the sync.
        WriteSource("schema_evolution: fail\n");
        _folder.Write($"{Lojas}/ingestion_date=2026-01-01/a.csv", "id_store,nome\n1,Farmácia\n");
        await Ingest();
        _folder.Write($"{Lojas}/ingestion_date=2026-01-02/b.csv", "id_store,nome,cidade\n2,Drogaria,Recife\n");

        var failed = await Ingest();

        Assert.Equal(RunStatus.Failed, failed.Steps.Single().Status);
        Assert.Empty(failed.Syncs);
        Assert.Equal(["1"], Query("SELECT count(*) FROM _alquimia.source_syncs"));
    }

    private void WriteSource(string checks) =>
        _folder.Write("sources/radar.yml", $"name: radar\nformat: csv\n{checks}tables:\n  - name: store\n    columns:\n      - {{name: id_store, type: BIGINT}}\n      - {{name: nome, type: VARCHAR}}\n");

    /// <summary>Lands one day's export of <paramref name="rows"/> stores.</summary>
    private void Land(string day, int rows) =>
        _folder.Write(
            $"{Lojas}/ingestion_date={day}/store.csv",
            "id_store,nome\n" + string.Concat(Enumerable.Range(1, rows).Select(id => $"{id},Loja {id}\n")));

    private Task<RunSummary> Ingest(TimeProvider? clock = null) =>
        Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "source:radar" }, time: clock);

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
