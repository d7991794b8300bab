using System.Globalization;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Spectre.Console;

namespace Alquimia.Cli.Rendering;

/// <summary>
/// The table printed at the end of <c>alquimia ingest</c>: per source table, how it synced (mode), its status, the rows
/// it put in bronze (or landed, for a source with <c>bronze: false</c>) (with the checks that warned), the size of the landing files they came from, the seconds the sync took and its rows per second;
/// then every warning and failure in full.
/// </summary>
internal static class IngestSummaryView
{
    public static void Write(Project project, RunSummary summary)
    {
        var sources = project.Sources.SelectMany(source => source.Tables.Select(table => (Step: table.BronzeName.ToString(), Name: $"{source.Name}.{table.Name}")))
            .ToDictionary(pair => pair.Step, pair => pair.Name, StringComparer.Ordinal);
        var syncs = summary.Syncs.ToDictionary(sync => new QualifiedName("bronze", sync.Table).ToString(), StringComparer.Ordinal);
        var landedOnly = project.LandedOnlySources;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("table").AddColumn("mode").AddColumn("status")
            .AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("bytes").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("rows/s").RightAligned());
        foreach (var step in summary.Steps)
        {
            var name = Markup.Escape(sources.GetValueOrDefault(step.Model, step.Model));
            if (syncs.TryGetValue(step.Model, out var sync))
            {
                // A source with bronze: false loads nothing: its rows are the rows it landed.
                var (mode, rows, bytes) = landedOnly.Contains(sync.Source)
                    ? ($"{sync.Mode}, landed only", sync.RowsLanded ?? 0, "-")
                    : (sync.Mode, sync.RowsLoaded, Bytes(sync.Bytes));
                table.AddRow(
                    name, mode, RunSummaryView.Status(step) + (sync.Checks.Count > 0 ? $" ({string.Join(", ", sync.Checks)})" : ""), RunSummaryView.Number(rows), bytes,
                    Seconds(sync.Duration), RowsPerSecond(rows, sync.Duration));
            }
            else
            {
                // A failed sync rolled back its record with its rows.
                table.AddRow(name, "", RunSummaryView.Status(step), "", "", "", "");
            }
        }

        Terminal.Write(table);
        RunSummaryView.WriteOutcome(summary);
    }

    /// <summary>A size as people read it, in powers of 1024: <c>512 B</c>, <c>1.5 KiB</c>, <c>12.3 MiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes.ToString(CultureInfo.InvariantCulture)} B" : $"{value.ToString("0.0", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    private static string RowsPerSecond(long rows, TimeSpan duration) =>
        duration > TimeSpan.Zero ? RunSummaryView.Number((long)Math.Round(rows / duration.TotalSeconds)) : "-";
}
