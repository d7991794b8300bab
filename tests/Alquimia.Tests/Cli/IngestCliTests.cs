using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Cli;

/// <summary><c>alquimia ingest</c>'s table of syncs, and <c>--replay</c>, through the real CLI process.</summary>
public sealed class IngestCliTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public IngestCliTests()
    {
        _folder
            .Write("alquimia.yml", "name: radar\n")
            .Write("sources/radar.yml", "name: radar\nformat: csv\nchecks: {max_row_drop: 0.5}\ntables:\n  - name: store\n  - name: user_access\n")
            .Write("lake/landing/radar/store/ingestion_date=2026-01-01/a.csv", "id_store,nome\n1,Drogaria Ana\n2,Farmácia Bruno\n3,Drogaria Caio\n")
            .Write("lake/landing/radar/user_access/ingestion_date=2026-01-01/a.csv", "id_user,perfil\n1,admin\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Ingest_ATableWhoseNameHasASpace_IsSyncedWithTheOthers_NotRefusedAsASelector()
    {
        _folder
            .Write("sources/radar.yml", "name: radar\nformat: csv\ntables:\n  - name: store\n  - name: My Table\n")
            .Write("lake/landing/radar/My Table/ingestion_date=2026-01-01/a.csv", "id,nome\n1,um\n2,dois\n");

        var ingest = await CliProcess.RunAsync(["ingest", "--project", _folder.Path]);

        Assert.True(ingest.ExitCode == 0, ingest.Output + ingest.Error);
        Assert.Contains("2 succeeded, 0 failed, 0 skipped", ingest.Output, StringComparison.Ordinal);
        Assert.Equal(["2"], Orchestration.WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT count(*) FROM bronze.\"my table\""));
    }

    [Fact]
    public async Task Ingest_PrintsEachTablesModeRowsBytesSecondsAndRate_AndTheWarningsInFull()
    {
        var first = await CliProcess.RunAsync(["ingest", "--project", _folder.Path]);
        _folder.Write("lake/landing/radar/store/ingestion_date=2026-01-02/a.csv", "id_store,nome\n1,Drogaria Ana\n");
        var second = await CliProcess.RunAsync(["ingest", "--project", _folder.Path]);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Matches(@"│ table\s+│ mode\s+│ status\s+│\s+rows │\s+bytes │ seconds │ rows/s │", first.Output);
        Assert.Matches(@"│ radar\.store\s+│ files │ succeeded\s+│\s+3 │\s+\d+ B │\s+\d+\.\d\d │\s+([\d,]+|-) │", first.Output);
        Assert.Matches(@"│ radar\.user_access\s+│ files │ succeeded\s+│\s+1 │\s+\d+ B │", first.Output);

        // A warning is not a failure: the run succeeds, and says why the table is marked.
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Matches(@"│ radar\.store\s+│ files │ warning \(row_drop\)\s+│\s+1 │", second.Output);
        Assert.Matches(@"│ radar\.user_access\s+│ files │ succeeded\s+│\s+0 │\s+0 B │", second.Output);
        Assert.Contains("bronze.store warning: store: 1 rows, 66.7% fewer than the 3 of its previous sync", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestReplay_RebuildsOnlyTheChosenTable_AndSaysSo()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(["ingest", "--project", _folder.Path])).ExitCode);

        var replay = await CliProcess.RunAsync(["ingest", "--project", _folder.Path, "--table", "store", "--replay"]);

        Assert.True(replay.ExitCode == 0, replay.Output + replay.Error);
        Assert.Matches(@"│ radar\.store\s+│ replay │ succeeded\s+│\s+3 │\s+\d+ B │", replay.Output);
        Assert.DoesNotContain("user_access", replay.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestHelp_DescribesReplay()
    {
        var help = await CliProcess.RunAsync(["ingest", "--help"]);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--replay", help.Output, StringComparison.Ordinal);
        Assert.Contains("without contacting the sources", help.Output, StringComparison.Ordinal);
    }
}
