using System.CommandLine;
using System.Globalization;
using Alquimia.Cli.Rendering;
using Alquimia.Operations;
using Alquimia.Warehouse;
using Alquimia.Orchestration;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary><c>alquimia status</c>: the last runs, the steps of one run, row counts and watermarks.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var runOption = new Option<string?>("--run") { Description = "The run whose steps to show (default: the newest)." };
        var command = new Command("status", "Show the last runs, each model's outcome in a run, row counts and watermarks.") { project, runOption };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            var runId = parseResult.GetValue(runOption);
            var status = await WarehouseReads.ReadAsync(
                loaded, "the status request", warehouse => ProjectStatus.Read(warehouse, loaded, runId), client => client.StatusAsync(runId, cancellationToken)).ConfigureAwait(false);
            if (status is null)
            {
                return ExitCodes.Invalid;
            }

            Terminal.Write(Runs(status));
            Terminal.Write(Relations(status, loaded.SourceTables.Where(pair => !pair.Source.LoadsBronze).Select(pair => pair.Table.BronzeName.ToString()).ToHashSet(StringComparer.Ordinal)));
            if (status.Watermarks.Count > 0)
            {
                var watermarks = new Table().Border(TableBorder.Rounded).Title("watermarks").AddColumn("model").AddColumn("column").AddColumn("value");
                foreach (var (model, watermark) in status.Watermarks)
                {
                    watermarks.AddRow(Markup.Escape(model), Markup.Escape(watermark.Column), Markup.Escape(watermark.Value));
                }

                Terminal.Write(watermarks);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Table Runs(ProjectStatus status)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("runs").AddColumn("run").AddColumn("run date").AddColumn("started (UTC)").AddColumn("status")
            .AddColumn("succeeded").AddColumn("failed").AddColumn("skipped").AddColumn("select");
        foreach (var run in status.Runs)
        {
            table.AddRow(run.RunId, run.RunDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), run.Status.ToString().ToLowerInvariant(),
                Number(run.ModelsSucceeded), Number(run.ModelsFailed), Number(run.ModelsSkipped), Markup.Escape(run.Selector ?? (run.FullRefresh ? "(all, full refresh)" : "(all)")));
        }

        return table;
    }

    /// <param name="landedOnly">The source tables whose source lands without loading (<c>bronze: false</c>): no relation, by design.</param>
    private static Table Relations(ProjectStatus status, HashSet<string> landedOnly)
    {
        var steps = status.Steps.ToDictionary(step => step.Model, StringComparer.Ordinal);
        var table = new Table().Border(TableBorder.Rounded).Title(status.Runs.Count > 0 ? $"steps of run {status.Runs[0].RunId}" : "relations")
            .AddColumn("relation").AddColumn(new TableColumn("rows now").RightAligned()).AddColumn("last outcome")
            .AddColumn(new TableColumn("+ ins").RightAligned()).AddColumn(new TableColumn("~ upd").RightAligned()).AddColumn(new TableColumn("- del").RightAligned())
            .AddColumn("error");
        foreach (var (relation, kind, rows) in status.Relations)
        {
            var step = steps.GetValueOrDefault(relation.ToString());
            table.AddRow(
                Markup.Escape(relation.ToString()),
                kind == Warehouse.RelationKind.None ? (landedOnly.Contains(relation.ToString()) ? "landed only" : "missing") : kind == Warehouse.RelationKind.View ? $"view ({RunSummaryView.Number(rows ?? 0)})" : RunSummaryView.Number(rows ?? 0),
                step?.Status.ToString().ToLowerInvariant() ?? "",
                step is null ? "" : RunSummaryView.Number(step.RowsInserted),
                step is null ? "" : RunSummaryView.Number(step.RowsUpdated),
                step is null ? "" : RunSummaryView.Number(step.RowsDeleted),
                Markup.Escape(step?.Error ?? ""));
        }

        return table;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
