using System.CommandLine;
using Alquimia.Cli.Rendering;
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
            var items = ProjectSetup.Run(loaded);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("relation").AddColumn("outcome").AddColumn("detail");
            foreach (var item in items)
            {
                table.AddRow(Markup.Escape(item.Name.ToString()), item.Outcome.ToString().ToLowerInvariant(), Markup.Escape(item.Message ?? ""));
            }

            Terminal.Write(table);
            var created = items.Count(item => item.Outcome == SetupOutcome.Created);
            var failed = items.Count(item => item.Outcome is SetupOutcome.Failed or SetupOutcome.Skipped);
            Terminal.WriteLine($"{created} created, {items.Count - created - failed} already there, {failed} not created in {Markup.Escape(loaded.WarehousePath)}");
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }));
        return command;
    }
}
