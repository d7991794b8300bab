using System.CommandLine;
using System.Text.Json;
using Alquimia.Cli.Rendering;
using Alquimia.Operations;
using Alquimia.Warehouse;
using Alquimia.Orchestration;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary><c>alquimia quality</c>: per model, rows in, valid, quarantined, dropped and warned, and each rule's failures, worst first.</summary>
internal static class QualityCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create()
    {
        var project = CommonOptions.Project();
        var runOption = new Option<string?>("--run") { Description = "The run to report (default: the newest that checked data)." };
        var format = new Option<string>("--format") { Description = "text, or json for machines.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("quality", "Report a run's data quality: rows in, valid, quarantined, dropped and warned per model, by rule, worst first.")
        {
            project, runOption, format,
        };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var runId = parseResult.GetValue(runOption);
            var loaded = CommonOptions.Load(parseResult, project);
            var report = await WarehouseReads.ReadAsync(
                loaded, "the quality request", warehouse => QualityReport.Read(warehouse, runId), client => client.QualityAsync(runId, cancellationToken)).ConfigureAwait(false);
            if (report is null)
            {
                return ExitCodes.Invalid;
            }

            if (parseResult.GetValue(format) == "json")
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, Json));
                return ExitCodes.Success;
            }

            Terminal.WriteLine($"Quality of run {report.RunId}");
            if (report.Sources.Count > 0)
            {
                Terminal.Write(SourcesTable(report.Sources, loaded.LandedOnlySources));
            }

            foreach (var model in report.Models)
            {
                Terminal.Write(ModelTable(model));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Table ModelTable(ModelQuality model)
    {
        var title = model.RowsIn is { } rowsIn
            ? $"{model.Model}: {Count(rowsIn)} in, {Count(model.RowsValid)} valid, {Count(model.RowsQuarantined)} quarantined, {Count(model.RowsDropped)} dropped, {Count(model.RowsWarned)} warned"
              + (model.RowsReleased > 0 ? $"; {Count(model.RowsReleased)} released from the quarantine" : "")
            : model.Model;
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title))
            .AddColumn("rule").AddColumn("kind").AddColumn("action").AddColumn(new TableColumn("failed").RightAligned())
            .AddColumn(new TableColumn("of rows").RightAligned()).AddColumn(new TableColumn("share").RightAligned()).AddColumn("e.g.");
        foreach (var rule in model.Rules)
        {
            var share = rule.RowsChecked == 0 ? "" : (100.0 * rule.RowsFailed / rule.RowsChecked).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";
            table.AddRow(Markup.Escape(rule.Rule), rule.Kind, rule.Action, Count(rule.RowsFailed), Count(rule.RowsChecked), share, Markup.Escape(string.Join(", ", rule.SampleKeys)));
        }

        if (model.Warning is { } warning)
        {
            table.Caption($"[yellow]warning[/]: {Markup.Escape(warning)}");
        }

        return table;
    }

    /// <summary>
    /// Each source table's rows landed and loaded into bronze; a table that brought none is marked, but for a source in
    /// <paramref name="landedOnly"/> (<c>bronze: false</c>), which loads none by design.
    /// </summary>
    private static Table SourcesTable(IReadOnlyList<SourceQuality> sources, IReadOnlySet<string> landedOnly)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("bronze")
            .AddColumn("source table").AddColumn("mode").AddColumn(new TableColumn("files").RightAligned())
            .AddColumn(new TableColumn("landed").RightAligned()).AddColumn(new TableColumn("into bronze").RightAligned())
            .AddColumn(new TableColumn("rejected lines").RightAligned()).AddColumn("warning");
        foreach (var sync in sources)
        {
            var onlyLanded = landedOnly.Contains(sync.Source);
            var loaded = onlyLanded ? "-" : sync.RowsLoaded == 0 ? "[yellow]0[/]" : Count(sync.RowsLoaded);
            table.AddRow(
                Markup.Escape($"{sync.Source}.{sync.Table}"), onlyLanded ? $"{sync.Mode}, landed only" : sync.Mode, Count(sync.Files), Count(sync.RowsLanded), loaded,
                sync.RowsRejected == 0 ? "" : $"[yellow]{Count(sync.RowsRejected)}[/]", Markup.Escape(sync.Warning ?? ""));
        }

        return table;
    }

    private static string Count(long? value) => value is { } number ? RunSummaryView.Number(number) : "";
}
