using System.Globalization;
using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Spectre.Console;

namespace Alquimia.Cli.Rendering;

/// <summary>The table printed at the end of a run: each step's outcome, rows and time, and the errors in full.</summary>
internal static class RunSummaryView
{
    public static void Write(RunSummary summary)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("step").AddColumn("materialized").AddColumn("status")
            .AddColumn(new TableColumn("inserted").RightAligned()).AddColumn(new TableColumn("updated").RightAligned())
            .AddColumn(new TableColumn("deleted").RightAligned()).AddColumn(new TableColumn("time").RightAligned());
        foreach (var step in summary.Steps)
        {
            table.AddRow(
                Markup.Escape(step.Model), step.Materialization, Status(step), Number(step.RowsInserted), Number(step.RowsUpdated),
                Number(step.RowsDeleted), Seconds(step.Duration));
        }

        Terminal.Write(table);
        WriteOutcome(summary);
    }

    /// <summary>Each warning and failure in full, then the run's line.</summary>
    public static void WriteOutcome(RunSummary summary)
    {
        foreach (var warned in summary.Steps.Where(step => step.Status == RunStatus.Warning))
        {
            Terminal.WriteLine($"[yellow]{Markup.Escape(warned.Model)}[/] warning: {Markup.Escape(warned.Warning ?? "")}");
        }

        foreach (var failed in summary.Steps.Where(step => step.Status == RunStatus.Failed))
        {
            Terminal.WriteLine($"[red]{Markup.Escape(failed.Model)}[/] failed (attempt {failed.Attempt}): {Markup.Escape(failed.Error ?? "")}");
        }

        if (summary.HistoryKept.Count > 0)
        {
            Terminal.WriteLine(
                $"--full-refresh kept the history of {Markup.Escape(string.Join(", ", summary.HistoryKept))}, built as in a normal run: a rebuild from "
                + $"the query alone would lose the days and versions no source holds any more. To drop it anyway: alquimia run --drop-history "
                + $"{Markup.Escape(summary.HistoryKept[0])}");
        }

        var run = summary.Run;
        if (run.Error is { } runError)
        {
            Terminal.WriteLine($"[red]run failed[/]: {Markup.Escape(runError)}");
        }

        var elapsed = (run.FinishedAt ?? run.StartedAt) - run.StartedAt;
        Terminal.WriteLine(
            $"Run {run.RunId} [bold]{run.Status.ToString().ToLowerInvariant()}[/]: {run.ModelsSucceeded} succeeded, {run.ModelsFailed} failed, "
            + $"{run.ModelsSkipped} skipped in {Seconds(elapsed)}");
    }

    public static string Rows(ModelRunRecord record) =>
        record.RowsUpdated + record.RowsDeleted == 0
            ? $"{Number(record.RowsInserted)} rows"
            : $"+{Number(record.RowsInserted)} ~{Number(record.RowsUpdated)} -{Number(record.RowsDeleted)} rows";

    /// <summary>", 12 quarantined, 3 dropped, 4 released" for a model whose expectations kept rows out; empty otherwise.</summary>
    public static string Quality(ModelRunRecord record) =>
        record.Quality is not { } quality || quality.RowsQuarantined + quality.RowsDropped + quality.RowsReleased == 0
            ? ""
            : $", {Number(quality.RowsQuarantined)} quarantined, {Number(quality.RowsDropped)} dropped"
              + (quality.RowsReleased > 0 ? $", {Number(quality.RowsReleased)} released" : "");

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s";

    public static string Status(ModelRunRecord step) => step.Status switch
    {
        RunStatus.Succeeded => "[green]succeeded[/]",
        RunStatus.Warning => "[yellow]warning[/]",
        RunStatus.Failed => "[red]failed[/]",
        RunStatus.Skipped => "[grey]skipped[/]",
        _ => "[grey]" + step.Status.ToString().ToLowerInvariant() + "[/]",
    };
}
