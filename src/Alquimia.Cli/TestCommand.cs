using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Operations;
using Alquimia.Warehouse;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary><c>alquimia test</c>: runs the selected models' data tests on what is published, building nothing.</summary>
internal static class TestCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var select = CommonOptions.Select();
        var runDate = CommonOptions.Date("--run-date", "run_date() in the tests' SQL. The default is today in the project's timezone (UTC when unset).");
        var command = new Command("test", "Run the data tests of the selected models on their published relations; exit 1 when an error-severity test fails.")
        {
            project, select, runDate,
        };
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            if (RunningServer.Holds(loaded, "alquimia test"))
            {
                return ExitCodes.Invalid;
            }

            using var warehouse = EmbeddedWarehouse.Open(loaded);
            var report = ProjectTests.Run(warehouse, loaded, parseResult.GetValue(select), runDate: parseResult.GetValue(runDate));
            var table = new Table().Border(TableBorder.Rounded).Title($"tests of run {report.RunId}")
                .AddColumn("model").AddColumn("test").AddColumn("severity").AddColumn("result")
                .AddColumn(new TableColumn("failing").RightAligned()).AddColumn(new TableColumn("of rows").RightAligned()).AddColumn("e.g.");
            foreach (var model in report.Models)
            {
                if (model.Missing)
                {
                    table.AddRow(Markup.Escape(model.Model), "", "", "[red]missing[/]", "", "", "run `alquimia run` to build it");
                }

                if (model.Error is { } error)
                {
                    table.AddRow(Markup.Escape(model.Model), "", "", "[red]error[/]", "", "", Markup.Escape(error));
                }

                foreach (var outcome in model.Outcomes)
                {
                    var result = !outcome.Failed ? "[green]pass[/]" : outcome.Test.Severity == TestSeverity.Error ? "[red]fail[/]" : "[yellow]warn[/]";
                    table.AddRow(
                        Markup.Escape(model.Model), Markup.Escape(outcome.Test.Name), outcome.Test.Severity.ToString().ToLowerInvariant(), result,
                        RunSummaryView.Number(outcome.RowsFailed), RunSummaryView.Number(outcome.RowsChecked), Markup.Escape(string.Join(", ", outcome.SampleKeys)));
                }
            }

            Terminal.Write(table);
            var tests = report.Models.Sum(model => model.Outcomes.Count);
            var failed = report.Models.Sum(model => model.Outcomes.Count(outcome => outcome.Failed && outcome.Test.Severity == TestSeverity.Error));
            var warned = report.Models.Sum(model => model.Outcomes.Count(outcome => outcome.Failed && outcome.Test.Severity == TestSeverity.Warn));
            var errors = report.Models.Count(model => model.Error is not null || model.Missing);
            Terminal.WriteLine($"{tests} test(s) on {report.Models.Count} model(s): {tests - failed - warned} passed, {failed} failed, {warned} warned"
                + (errors > 0 ? $"; {errors} model(s) could not be tested." : "."));
            return report.Failed ? ExitCodes.Failed : ExitCodes.Success;
        }));
        return command;
    }
}
