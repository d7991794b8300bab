using Alquimia.Ingestion.Landing;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>
/// <c>_alquimia.source_cursors</c>: where each source table's next sync starts, one row per table, written in the same
/// transaction as the bronze batch it describes, so that the two never disagree after a crash.
/// </summary>
internal static class SourceCursors
{
    /// <summary>The table's stored cursor, if any.</summary>
    public static SourceCursor? Read(CheckedConnection connection, string source, string table, CancellationToken cancellationToken = default) =>
        connection.Query(
            $"SELECT kind, value, value_type, column_name FROM {StateTables.SourceCursors} WHERE source = $1 AND table_name = $2",
            reader => new SourceCursor(reader.GetString(0), reader.GetString(1), reader.GetString(2)) { Column = reader.IsDBNull(3) ? null : reader.GetString(3) },
            cancellationToken, source, table).SingleOrDefault();

    /// <summary>Replaces the table's cursor; null forgets it (a full_refresh table has none).</summary>
    public static void Write(
        CheckedConnection connection, string source, string table, SourceCursor? cursor, string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        connection.Execute($"DELETE FROM {StateTables.SourceCursors} WHERE source = $1 AND table_name = $2", cancellationToken, source, table);
        if (cursor is not null)
        {
            connection.Execute(
                $"INSERT INTO {StateTables.SourceCursors} (source, table_name, kind, column_name, value, value_type, run_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                cancellationToken, source, table, cursor.Kind, cursor.Column, cursor.Value, cursor.Type, runId, at);
        }
    }
}
