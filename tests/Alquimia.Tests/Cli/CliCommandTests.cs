using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Cli;

/// <summary>The <c>alquimia</c> command in a child process: exit codes, messages and output, as a user sees them.</summary>
public sealed class CliCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Init_ThenRun_BuildsEveryLayerOfTheStarterProject_AndExitsZero()
    {
        var project = _directory.File("loja");
        var init = await CliProcess.RunAsync(["init", project]);
        Assert.True(init.ExitCode == 0, init.Error);

        var run = await CliProcess.RunAsync(["run", "--project", project]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Matches(@"silver\.tb_pedido\s+.*incremental\s+.*succeeded\s+.*4", run.Output);
        Assert.Contains("4 succeeded, 0 failed, 0 skipped", run.Output, StringComparison.Ordinal);
        // The starter shows the headline features: a quarantining expectation and data tests.
        Assert.Matches(@"silver\.tb_pedido\s+ok 4 rows, 1 quarantined", run.Output);
        var tests = await CliProcess.RunAsync(["test", "--project", project]);
        Assert.True(tests.ExitCode == 0, tests.Output + tests.Error);
        Assert.Contains("3 test(s) on 1 model(s): 3 passed, 0 failed, 0 warned", tests.Output, StringComparison.Ordinal);

        var status = await CliProcess.RunAsync(["status", "--project", project]);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Matches(@"gold\.ft_vendas_diarias\s+.*\s1\s", status.Output);
        Assert.Contains("_ingestion_timestamp", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LogsEachStepToStandardError_WithVerbose_AndNothingButWarningsWithout()
    {
        var project = _directory.File("loja");
        Assert.Equal(0, (await CliProcess.RunAsync(["init", project])).ExitCode);

        var quiet = await CliProcess.RunAsync(["run", "--project", project]);
        var verbose = await CliProcess.RunAsync(["run", "--project", project, "--verbose"]);

        Assert.True(verbose.ExitCode == 0, verbose.Error);
        Assert.DoesNotContain("info:", quiet.Error, StringComparison.Ordinal);
        Assert.Matches(@"info: Alquimia\.Orchestration\.PipelineRunner\[1001\] Run \S+ of project loja for \d{4}-\d\d-\d\d started", verbose.Error);
        Assert.Matches(@"\[2002\] Step silver\.tb_pedido committed in \d+ ms", verbose.Error);
        Assert.Matches(@"\[1002\] Run \S+ finished Succeeded: 4 steps succeeded", verbose.Error);
        Assert.DoesNotContain("[1001]", verbose.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_LoadsBronzeOnly_AndAnUnknownSourceExitsTwoWithTheSources()
    {
        var project = _directory.File("loja");
        Assert.Equal(0, (await CliProcess.RunAsync(["init", project])).ExitCode);

        var ingest = await CliProcess.RunAsync(["ingest", "--project", project]);
        var unknown = await CliProcess.RunAsync(["ingest", "--project", project, "--source", "erp"]);

        Assert.True(ingest.ExitCode == 0, ingest.Output + ingest.Error);
        Assert.Contains("1 succeeded, 0 failed, 0 skipped", ingest.Output, StringComparison.Ordinal);
        Assert.Matches(@"loja\.pedidos\s+│ files │ succeeded", ingest.Output);
        Assert.DoesNotContain("silver.tb_pedido", ingest.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("No source table matches --source erp. The sources are: loja.", unknown.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAFailingModel_ExitsOne_AndPrintsTheError()
    {
        var project = _directory.File("loja");
        await CliProcess.RunAsync(["init", project]);
        File.WriteAllText(Path.Combine(project, "models", "gold", "ft_quebrado.sql"), "SELECT CAST(cliente AS INTEGER) AS x FROM silver.tb_pedido");

        var run = await CliProcess.RunAsync(["run", "--project", project]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("gold.ft_quebrado failed (attempt 1): models/gold/ft_quebrado.sql:1: Conversion Error", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnAnInvalidProject_ExitsTwo_ListingEveryProblemWithFileAndLine()
    {
        using var folder = new ProjectFolder();
        folder
            .Write("models/silver/tb_a.sql", "/* ---\nmaterialised: table\n--- */\nSELECT 1 AS x")
            .Write("models/gold/ft_b.sql", "SELECT * FROM silver.tb_aa");

        var run = await CliProcess.RunAsync(["run", "--project", folder.Path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("The project has 2 problems", run.Error, StringComparison.Ordinal);
        Assert.Contains("models/silver/tb_a.sql:2:", run.Error, StringComparison.Ordinal);
        Assert.Contains("'materialized'", run.Error, StringComparison.Ordinal);
        Assert.Contains("models/gold/ft_b.sql:1:", run.Error, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'silver.tb_a'?", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAnUnknownSelector_ExitsTwo()
    {
        var project = _directory.File("loja");
        await CliProcess.RunAsync(["init", project]);

        var run = await CliProcess.RunAsync(["run", "--project", project, "--select", "tb_pedidos"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("tb_pedido", run.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAndShow_PrintTheData_AsTableCsvAndJson_AndNeverChangeIt()
    {
        var project = _directory.File("loja");
        Assert.Equal(0, (await CliProcess.RunAsync(["init", project])).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(["run", "--project", project])).ExitCode);
        const string Sql = "SELECT id_pedido, valor, [id_pedido, NULL] AS lista, 'a,\"b\"' AS texto FROM silver.tb_pedido ORDER BY id_pedido LIMIT 2";

        var table = await CliProcess.RunAsync(["query", "--project", project, Sql]);
        var csv = await CliProcess.RunAsync(["query", "--project", project, "--format", "csv", Sql]);
        var json = await CliProcess.RunAsync(["show", "--project", project, "silver.tb_pedido", "--limit", "1", "--format", "json"]);
        var write = await CliProcess.RunAsync(["query", "--project", project, "DELETE FROM silver.tb_pedido"]);
        var count = await CliProcess.RunAsync(["query", "--project", project, "--format", "csv", "SELECT count(*) AS n FROM silver.tb_pedido"]);

        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Matches(@"│ 1\s+│ \d+\.\d\d\s+│ \[1, NULL\]", table.Output);
        Assert.Contains("2 row(s)", table.Output, StringComparison.Ordinal);
        var lines = csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("id_pedido,valor,lista,texto", lines[0]);
        Assert.Matches(@"^1,\d+\.\d\d,""\[1, NULL\]"",""a,""""b""""""$", lines[1]);
        using var document = System.Text.Json.JsonDocument.Parse(json.Output);
        Assert.Equal(1, document.RootElement.GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, document.RootElement[0].GetProperty("id_pedido").ValueKind);
        Assert.Equal(1, write.ExitCode);
        Assert.Contains("must be one SELECT", write.Error, StringComparison.Ordinal);
        Assert.Equal(["n", "4"], count.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("Unrecognized command or argument 'frobnicate'", "frobnicate")]
    [InlineData("Unrecognized command or argument '--bogus'", "ls", "--bogus")]
    [InlineData("Argument 'png' not recognized", "graph", "--format", "png")]
    [InlineData("Required argument 'dir' missing for command: 'init'", "init")]
    [InlineData("--run-date should be a date written YYYY-MM-DD, such as 2026-12-06, not '06/12/2026'", "run", "--run-date", "06/12/2026")]
    [InlineData("--from and --to go together", "run", "--from", "2026-12-01")]
    [InlineData("--from 2026-12-06 comes after --to 2026-12-01", "run", "--from", "2026-12-06", "--to", "2026-12-01")]
    public async Task ABadCommandLine_ExitsTwo_SayingWhatIsWrong_AndWhereTheUsageIs(string problem, params string[] arguments)
    {
        var result = await CliProcess.RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {problem}", result.Error, StringComparison.Ordinal);
        Assert.Contains("--help` for its usage.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FromTo_RunsOncePerDayInOrder_AndStopsAtTheFirstDayThatFails()
    {
        var project = _directory.File("loja");
        Assert.Equal(0, (await CliProcess.RunAsync(["init", project])).ExitCode);
        File.WriteAllText(Path.Combine(project, "models", "gold", "ft_dia.sql"), """
            /* ---
            materialized: delete_insert
            window: dia = run_date()
            --- */
            SELECT run_date() AS dia, CASE WHEN run_date() = DATE '2026-12-04' THEN error('o dia 4 falha') ELSE 1 END AS um
            """);

        var backfill = await CliProcess.RunAsync(["run", "--project", project, "--from", "2026-12-01", "--to", "2026-12-03"]);
        var failing = await CliProcess.RunAsync(["run", "--project", project, "--from", "2026-12-04", "--to", "2026-12-05", "-s", "gold.ft_dia"]);

        Assert.True(backfill.ExitCode == 0, backfill.Output + backfill.Error);
        Assert.Contains("Run date 2026-12-03 (3 of 3)", backfill.Output, StringComparison.Ordinal);
        var days = await CliProcess.RunAsync(["query", "--project", project, "--format", "csv", "SELECT dia FROM gold.ft_dia ORDER BY dia"]);
        Assert.Equal(["dia", "2026-12-01", "2026-12-02", "2026-12-03"], days.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("The backfill stopped at 2026-12-04: 1 day(s) after it were not run.", failing.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Run date 2026-12-05", failing.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("init")]
    [InlineData("setup")]
    [InlineData("run")]
    [InlineData("ls")]
    [InlineData("graph")]
    [InlineData("status")]
    [InlineData("test")]
    [InlineData("quality")]
    [InlineData("generate")]
    [InlineData("demo")]
    public async Task EveryCommand_HasHelp(string command)
    {
        var help = await CliProcess.RunAsync([command, "--help"]);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
        // The command's name, not the assembly's (Alquimia.Cli).
        Assert.Contains($"alquimia {command} ", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoOfTheCrmExample_ShowsTheDashboardForItsDay_ThenTheNextDay()
    {
        var folder = _directory.File("crm-demo");

        var first = await CliProcess.RunAsync(["demo", "--example", "crm", "--dir", folder, "--rows", "12"]);
        var second = await CliProcess.RunAsync(["demo", "--example", "crm", "--dir", folder, "--rows", "12"]);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("landed up to 2026-11-30, the run date", first.Output, StringComparison.Ordinal);
        Assert.Contains("dashboard CRM em 2026-11-30", first.Output, StringComparison.Ordinal);
        Assert.Contains("ações abertas, página 1", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains("dashboard CRM em 2026-12-01", second.Output, StringComparison.Ordinal);
        Assert.Equal(["2026-11-30", "2026-12-01"], Alquimia.Tests.Orchestration.WarehouseRows.Of(
            Path.Combine(folder, "warehouse.duckdb"), "SELECT DISTINCT CAST(data_snapshot AS VARCHAR) FROM gold.crm_actions_open_snapshot ORDER BY 1"));
    }

    [Fact]
    public async Task Graph_AsMermaid_DrawsEveryEdge()
    {
        var project = _directory.File("loja");
        await CliProcess.RunAsync(["init", project]);

        var graph = await CliProcess.RunAsync(["graph", "--project", project, "--format", "mermaid"]);

        Assert.Equal(0, graph.ExitCode);
        Assert.StartsWith("flowchart LR", graph.Output, StringComparison.Ordinal);
        Assert.Contains("bronze_pedidos --> silver_tb_pedido", graph.Output, StringComparison.Ordinal);
        Assert.Contains("gold_ft_vendas_diarias --> curated_vw_vendas", graph.Output, StringComparison.Ordinal);
    }
}
