using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Operations;
using Alquimia.Warehouse;
using Alquimia.Orchestration;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary><c>alquimia setup</c>: seed 000's one-time phase — schemas, and every table and view of the project, empty.</summary>
internal static class SetupCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var command = new Command(
            "setup",
            "Create the schemas and every table and view of the project, empty. Idempotent: what exists is kept, so after adding models only they are created.")
        {
            project,
        };
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            if (RunningServer.Holds(loaded, "alquimia setup"))
            {
                return ExitCodes.Invalid;
            }

            using var warehouse = EmbeddedWarehouse.Open(loaded);
            var report = ProjectSetup.Run(warehouse, loaded);
            var items = report.Items;
            Console.WriteLine($"Alquimia on DuckDB {report.EngineVersion}, warehouse {report.WarehousePath}");
            var table = new Table().Border(TableBorder.Rounded).AddColumn("relation").AddColumn("outcome").AddColumn("detail");
            foreach (var item in items)
            {
                table.AddRow(Markup.Escape(item.Name.ToString()), item.Outcome.ToString().ToLowerInvariant(), Markup.Escape(item.Message ?? ""));
            }

            Terminal.Write(table);
            var created = items.Count(item => item.Outcome == SetupOutcome.Created);
            var failed = items.Count(item => item.Outcome is SetupOutcome.Failed or SetupOutcome.Skipped);
            var landedOnly = items.Count(item => item.Outcome == SetupOutcome.LandedOnly);
            Terminal.WriteLine(
                $"{created} created, {items.Count - created - failed - landedOnly} already there, {failed} not created"
                + (landedOnly > 0 ? $", {landedOnly} landed only (bronze: false)" : ""));
            Terminal.WriteLine();
            Console.WriteLine($"{"layer",-10} {"tables",6} {"views",6}  holds");
            foreach (var summary in report.Layers)
            {
                Console.WriteLine($"{summary.Layer.Schema,-10} {summary.Tables,6} {summary.Views,6}  {summary.Layer.Description}");
            }

            return failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }));
        return command;
    }
}
