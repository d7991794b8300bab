using System.Data.Common;
using System.Text.Json;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>
/// One row of <c>_alquimia.source_syncs</c>: one sync of one source table, committed with the rows it put in bronze.
/// It is where the alerting reads what the checks after each sync found.
/// </summary>
/// <param name="RunId">The run that synced.</param>
/// <param name="Source">The source's name.</param>
/// <param name="Table">The table's name in the source (its bronze table has the same name).</param>
/// <param name="Mode"><c>full_refresh</c> or <c>incremental</c> for a database table, <c>files</c> for a files source, <c>replay</c> for a rebuild from landing.</param>
public sealed record SourceSyncRecord(string RunId, string Source, string Table, string Mode, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
{
    /// <summary>
    /// The rows this sync landed: extracted from the database, or in the files that were new to this run. Null when
    /// nothing new could land (a files source without new files, a replay); the checks compare it between syncs.
    /// </summary>
    public long? RowsLanded { get; init; }

    /// <summary>The rows appended to bronze (a landed file that a crashed sync left behind included).</summary>
    public long RowsLoaded { get; init; }

    /// <summary>The landing files loaded into bronze.</summary>
    public int Files { get; init; }

    /// <summary>The size on disk of those files.</summary>
    public long Bytes { get; init; }

    /// <summary>The names of the checks that warned: <c>empty</c>, <c>row_drop</c>, <c>slow</c>. Empty when none did.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>Every warning of the sync, the checks' and the extraction's (a column landed as text), joined by "; "; null when none.</summary>
    public string? Warning { get; init; }

    public TimeSpan Duration => FinishedAt - StartedAt;
}

/// <summary>Reads and writes <c>_alquimia.source_syncs</c> on the caller's connection, so a sync's row joins the step's transaction.</summary>
public static class SourceSyncs
{
    public static void Record(CheckedConnection connection, SourceSyncRecord sync, CancellationToken cancellationToken = default) =>
        connection.Execute(
            $"""
            INSERT INTO {StateTables.SourceSyncs}
                (run_id, source, table_name, mode, rows_landed, rows_loaded, files, bytes, started_at, finished_at, duration_ms, checks, warning)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, from_json($12, '["VARCHAR"]'), $13)
            """,
            cancellationToken, sync.RunId, sync.Source, sync.Table, sync.Mode, sync.RowsLanded, sync.RowsLoaded, sync.Files, sync.Bytes,
            sync.StartedAt, sync.FinishedAt, (long)sync.Duration.TotalMilliseconds, JsonSerializer.Serialize(sync.Checks), sync.Warning);

    /// <summary>The latest committed sync of the table in <paramref name="mode"/> that landed something; null before the first.</summary>
    public static SourceSyncRecord? Previous(CheckedConnection connection, string source, string table, string mode, CancellationToken cancellationToken = default) =>
        connection.Query(
            $"""
            {Select} WHERE source = $1 AND table_name = $2 AND mode = $3 AND rows_landed IS NOT NULL
            ORDER BY finished_at DESC LIMIT 1
            """,
            Read, cancellationToken, source, table, mode).FirstOrDefault();

    /// <summary>The syncs of one run, in the order they finished.</summary>
    public static List<SourceSyncRecord> OfRun(CheckedConnection connection, string runId) =>
        connection.Query($"{Select} WHERE run_id = $1 ORDER BY finished_at, table_name", Read, default, runId);

    private const string Select =
        $"SELECT run_id, source, table_name, mode, started_at, finished_at, rows_landed, rows_loaded, files, bytes, CAST(to_json(checks) AS VARCHAR), warning FROM {StateTables.SourceSyncs}";

    private static SourceSyncRecord Read(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5))
        {
            RowsLanded = reader.IsDBNull(6) ? null : reader.GetInt64(6),
            RowsLoaded = reader.GetInt64(7),
            Files = reader.GetInt32(8),
            Bytes = reader.GetInt64(9),
            Checks = reader.IsDBNull(10) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(10)) ?? [],
            Warning = reader.IsDBNull(11) ? null : reader.GetString(11),
        };
}
