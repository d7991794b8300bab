using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Examples.VCredit;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia demo</c>: the V-Credit project of seed 000 end to end — writes the project, lands a day of
/// generated data, runs the pipeline, and prints each layer's tables and rows and the call centre's KPIs. Run it
/// again and it lands the next day and runs incrementally.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir") { Description = "The folder for the demo project, its lake and warehouse.", DefaultValueFactory = _ => "alquimia-demo" };
        var rows = new Option<long>("--rows") { Description = "Chamados in the generated day.", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "Run the V-Credit demo: generate a day of call-centre data, run the pipeline, show the layers and KPIs.")
        {
            directory, rows, seed,
        };
        command.SetAction((parseResult, _) => CliErrors.RunAsync(async () =>
        {
            var (project, generated) = VCreditDemo.Prepare(parseResult.GetRequiredValue(directory), parseResult.GetValue(rows), parseResult.GetValue(seed));
            Console.WriteLine($"V-Credit demo in {project.Directory}");
            Console.WriteLine($"Landed {generated}");
            Console.WriteLine();

            using var loggers = CliLogging.Create(parseResult);
            using var warehouse = EmbeddedWarehouse.Open(project);
            var runner = new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>());
            var exitCode = await RunCommand.RunAsync(runner, project, new RunOptions(), RunSummaryView.Write).ConfigureAwait(false);
            Terminal.WriteLine();
            Terminal.Write(Layers(warehouse, project));
            if (exitCode == ExitCodes.Success)
            {
                Terminal.Write(Kpis(VCreditDemo.DailyKpis(warehouse)));
                Terminal.Write(Quarantine(QualityReport.Read(warehouse)));
                Terminal.WriteLine(
                    $"Explore: alquimia status -p {Markup.Escape(project.Directory)}; alquimia quality -p {Markup.Escape(project.Directory)} (every rule); "
                    + "run `alquimia demo` again to land and process the next day.");
            }

            return exitCode;
        }));
        return command;
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

    private static Table Kpis(TextTable kpis)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("KPIs do atendimento (curated.vw_kpis_diarios)");
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
