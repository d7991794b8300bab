using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Examples.Crm;
using Alquimia.Examples.VCredit;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia demo [--example crm]</c>: the V-Credit project of seed 000 (or seed 004's CRM) end to end — writes the project, lands a day of
/// generated data, runs the pipeline, and prints each layer's tables and rows and the call centre's KPIs. Run it
/// again and it lands the next day and runs incrementally.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var example = new Option<string>("--example") { Description = "vcredit (seed 000, the default) or crm (seed 004).", DefaultValueFactory = _ => "vcredit" };
        example.AcceptOnlyFromAmong("vcredit", "crm");
        var directory = new Option<string>("--dir") { Description = "The folder for the demo project, its lake and warehouse.", DefaultValueFactory = _ => "alquimia-demo" };
        var rows = new Option<long?>("--rows") { Description = "Chamados in the generated day (vcredit, default 20,000), or verifications per day (crm, default 40)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "Run a seed's demo: generate its data, run the pipeline, show the layers and what the dashboard shows.")
        {
            example, directory, rows, seed,
        };
        command.SetAction((parseResult, _) => CliErrors.RunAsync(async () =>
        {
            var folder = parseResult.GetRequiredValue(directory);
            using var loggers = CliLogging.Create(parseResult);
            return parseResult.GetValue(example) == "crm"
                ? await CrmAsync(folder, (int)(parseResult.GetValue(rows) ?? 40), parseResult.GetValue(seed), loggers).ConfigureAwait(false)
                : await VCreditAsync(folder, parseResult.GetValue(rows) ?? 20_000, parseResult.GetValue(seed), loggers).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> VCreditAsync(string folder, long rows, long seed, ILoggerFactory loggers)
    {
        var (project, generated) = VCreditDemo.Prepare(folder, rows, seed);
        Console.WriteLine($"V-Credit demo in {project.Directory}");
        Console.WriteLine($"Landed {generated}");
        Console.WriteLine();

        using var warehouse = EmbeddedWarehouse.Open(project);
        var runner = new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>());
        var exitCode = await RunCommand.RunAsync(runner, project, new RunOptions(), RunSummaryView.Write).ConfigureAwait(false);
        Terminal.WriteLine();
        Terminal.Write(Layers(warehouse, project));
        if (exitCode == ExitCodes.Success)
        {
            Terminal.Write(Cards(VCreditDemo.DailyKpis(warehouse), "KPIs do atendimento (curated.vw_kpis_diarios)"));
            Terminal.Write(Quarantine(QualityReport.Read(warehouse)));
            Terminal.WriteLine(
                $"Explore: alquimia status -p {Markup.Escape(project.Directory)}; alquimia quality -p {Markup.Escape(project.Directory)} (every rule); "
                + "run `alquimia demo` again to land and process the next day.");
        }

        return exitCode;
    }

    /// <summary>Seed 004: 30 days land on the first call, the next day on each later one; the run is for the newest day.</summary>
    private static async Task<int> CrmAsync(string folder, int verificationsPerDay, long seed, ILoggerFactory loggers)
    {
        var (project, day) = CrmDemo.Prepare(folder, verificationsPerDay, seed);
        Console.WriteLine($"CRM demo in {project.Directory}: landed up to {day:yyyy-MM-dd}, the run date");
        Console.WriteLine();

        using var warehouse = EmbeddedWarehouse.Open(project);
        var runner = new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>());
        var exitCode = await RunCommand.RunAsync(runner, project, new RunOptions { RunDate = day }, RunSummaryView.Write).ConfigureAwait(false);
        Terminal.WriteLine();
        Terminal.Write(Layers(warehouse, project));
        if (exitCode == ExitCodes.Success)
        {
            Terminal.Write(Cards(CrmDemo.Metrics(warehouse, day), $"dashboard CRM em {day:yyyy-MM-dd} (crm_metrics_daily, crm_action_priorities_daily)"));
            Terminal.Write(Cards(CrmDemo.OpenActions(warehouse, day), "ações abertas, página 1 (crm_actions_open_snapshot)"));
            Terminal.Write(Quarantine(QualityReport.Read(warehouse)));
            Terminal.WriteLine(
                $"Explore: alquimia status -p {Markup.Escape(project.Directory)}; alquimia show gold.crm_metrics_daily -p {Markup.Escape(project.Directory)}; "
                + "run `alquimia demo --example crm` again to land and process the next day.");
        }

        return exitCode;
    }

    private static Table Layers(EmbeddedWarehouse warehouse, Projects.Project project)
    {
        var status = ProjectStatus.Read(warehouse, project);
        var table = new Table().Border(TableBorder.Rounded).Title("layers")
            .AddColumn("layer").AddColumn(new TableColumn("tables").RightAligned()).AddColumn(new TableColumn("views").RightAligned())
            .AddColumn(new TableColumn("rows").RightAligned()).AddColumn("relations");
        foreach (var layer in status.Relations.GroupBy(relation => relation.Relation.Schema))
        {
            var tables = layer.Where(relation => relation.Kind == RelationKind.Table).ToList();
            table.AddRow(
                layer.Key,
                tables.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                layer.Count(relation => relation.Kind == RelationKind.View).ToString(System.Globalization.CultureInfo.InvariantCulture),
                RunSummaryView.Number(tables.Sum(relation => relation.Rows ?? 0)),
                Markup.Escape(string.Join(", ", layer.Select(relation => relation.Relation.Name))));
        }

        return table;
    }

    /// <summary>The models that kept rows out, with the rule that kept out the most (seed 000: "identificar qual flag está FALSE").</summary>
    private static Table Quarantine(QualityReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("qualidade: linhas em quarentena (<modelo>_invalidos)")
            .AddColumn("model").AddColumn(new TableColumn("in").RightAligned()).AddColumn(new TableColumn("quarantined").RightAligned())
            .AddColumn(new TableColumn("dropped").RightAligned()).AddColumn("worst rule");
        foreach (var model in report.Models.Where(model => model.RowsQuarantined + model.RowsDropped > 0))
        {
            var worst = model.Rules.Where(rule => rule.Kind == "expectation").MaxBy(rule => rule.RowsFailed);
            table.AddRow(
                Markup.Escape(model.Model), RunSummaryView.Number(model.RowsIn ?? 0), RunSummaryView.Number(model.RowsQuarantined ?? 0),
                RunSummaryView.Number(model.RowsDropped ?? 0), worst is null ? "" : Markup.Escape($"{worst.Rule} ({RunSummaryView.Number(worst.RowsFailed)})"));
        }

        return table;
    }

    private static Table Cards(TextTable kpis, string title)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        foreach (var column in kpis.Columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        }

        foreach (var row in kpis.Rows)
        {
            table.AddRow([.. row.Select(Markup.Escape)]);
        }

        return table;
    }
}
