using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>Where an incremental table's sync starts.</summary>
internal static class SyncStart
{
    /// <summary>
    /// The table's stored cursor (<c>_alquimia.source_cursors</c>), written with the last batch bronze took. Null on a
    /// first sync: nothing landed, whatever is stored (bronze dropped to read the table again). The highest value landed,
    /// bronze and pending files together, when there is no stored cursor for the column (a warehouse from before
    /// stored cursors, or a changed <c>cursor:</c>), or when files are pending: a sync that failed or crashed after
    /// landing them, before its commit, stored nothing, and they are newer than what it did store.
    /// </summary>
    public static SourceCursor? Find(CheckedConnection warehouse, Project project, SourceDefinition source, SourceTable table, CancellationToken cancellationToken)
    {
        var column = table.Cursor ?? throw new ArgumentException($"Table {table.Name} has no cursor column.", nameof(table));
        var landed = LandedRows.Of(warehouse, project, source, table, cancellationToken);
        if (landed.IsEmpty)
        {
            return null;
        }

        var stored = SourceCursors.Read(warehouse, source.Name, table.Name, cancellationToken);
        return stored is { Kind: SourceCursor.ValueKind } && stored.Column == column && !landed.HasPendingFiles
            ? stored
            : landed.Max(warehouse, column, cancellationToken);
    }

    /// <summary>
    /// The cursor after a batch: the highest finite value of <paramref name="column"/> (of DuckDB type
    /// <paramref name="type"/>) in its parts, or <paramref name="from"/> when the batch brought none past it.
    /// </summary>
    public static SourceCursor? After(CheckedConnection warehouse, LandingBatch batch, SourceCursor? from, string column, string type, CancellationToken cancellationToken)
    {
        var parts = batch.PartPaths;
        if (parts.Count == 0)
        {
            return from;
        }

        var max = warehouse.Query(
            $"SELECT {CursorValues.MaxText(SqlText.Identifier(column), type)} FROM read_parquet({SqlText.LiteralList(parts)}, union_by_name = true)",
            reader => reader.IsDBNull(0) ? null : SourceCursor.OfValue(column, reader.GetString(0), type),
            cancellationToken).Single();
        if (max is null || from is null)
        {
            return max ?? from;
        }

        // A batch also holds rows read again behind the start (the lookback): the cursor never goes back.
        var later = warehouse.Scalar<bool>($"SELECT CAST($1 AS {type}) >= CAST($2 AS {from.Type})", cancellationToken, max.Value, from.Value);
        return later ? max : from;
    }
}
