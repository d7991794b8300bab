using System.Globalization;
using Alquimia.Projects;
using Alquimia.Projects.Loading;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion;

/// <summary>A check after a sync that found something: its name (<c>empty</c>, <c>row_drop</c>, <c>slow</c>) and the warning.</summary>
internal sealed record SyncWarning(string Check, string Message);

/// <summary>
/// The checks after each sync (seed 003's validation that no table came back empty), against the table's previous
/// sync in the same mode that landed something.
/// </summary>
/// <remarks>
/// Rows are compared only where each sync lands the whole table: full_refresh tables of a database source, and the
/// tables of a files source given <c>max_row_drop</c> (their every batch of files is a whole export). An incremental
/// sync, or a CDC one, lands only what changed, so an empty one is normal and a drop means nothing.
/// </remarks>
internal static class SyncCheck
{
    public static List<SyncWarning> Run(SourceSyncRecord sync, SourceTable table, SourceSyncRecord? previous)
    {
        var warnings = new List<SyncWarning>();
        var wholeTable = sync.Mode switch { "files" => table.Checks.MaxRowDrop is not null, "full_refresh" => true, _ => false };
        if (wholeTable && sync.RowsLanded is { } rows && previous?.RowsLanded is { } before && before > 0)
        {
            var drop = (double)(before - rows) / before;
            if (rows == 0)
            {
                warnings.Add(new("empty", $"{table.Name}: came back empty, when its previous sync (run {previous.RunId}) had {Number(before)} rows"));
            }
            else if (table.Checks.MaxRowDrop is { } maxDrop && drop > maxDrop)
            {
                warnings.Add(new(
                    "row_drop",
                    $"{table.Name}: {Number(rows)} rows, {Percent(drop)} fewer than the {Number(before)} of its previous sync (run {previous.RunId}); "
                    + $"max_row_drop is {maxDrop.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        if (table.Checks.WarnAfter is { } warnAfter && sync.Duration > warnAfter)
        {
            warnings.Add(new("slow", $"{table.Name}: the sync took {DurationParser.Format(sync.Duration)}, longer than warn_after {DurationParser.Format(warnAfter)}"));
        }

        return warnings;
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
