using Alquimia.Ingestion.Landing;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Ingestion.Postgres;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Ingestion;

/// <summary>
/// One sync of a source table, as its ingestion step runs it: a database table is extracted into a landing file, the
/// table's new landing files go into bronze, the checks compare the sync with the previous one, and the sync is
/// recorded in <c>_alquimia.source_syncs</c> — all in the step's transaction.
/// </summary>
internal static class SourceSync
{
    /// <summary>The <c>mode</c> of a replay's row in <c>source_syncs</c>.</summary>
    public const string ReplayMode = "replay";

    /// <summary>Syncs the table; its result carries the extraction's and the checks' warnings.</summary>
    /// <param name="snapshot">The run's snapshot of the source, asked for only when the source is a database.</param>
    public static MaterializationResult Run(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, string runId, TimeProvider time,
        Func<PostgresSnapshot> snapshot, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var extraction = source.Kind == SourceKind.Postgres
            ? PostgresExtractor.Extract(connection, project, source, table, snapshot(), runId, time.GetUtcNow(), cancellationToken)
            : null;
        var pending = LandingLoader.PendingFiles(connection, project, source, table, cancellationToken);
        var loaded = LandingLoader.Load(connection, project, source, table, pending, runId, time.GetUtcNow(), cancellationToken);
        // A file the loader could not parse was moved to _rejected: it brought nothing.
        var files = pending.Where(file => File.Exists(file.FullName)).ToList();
        var sync = new SourceSyncRecord(runId, source.Name, table.Name, ModeOf(source, table), startedAt, time.GetUtcNow())
        {
            // A files source landed what its new files hold; with no new file, nothing landed at all.
            RowsLanded = extraction?.Rows ?? (files.Count > 0 ? loaded.RowsInserted : null),
            RowsLoaded = loaded.RowsInserted,
            Files = files.Count,
            Bytes = files.Sum(file => file.Length),
        };
        var found = SyncCheck.Run(sync, source, table, SourceSyncs.Previous(connection, source.Name, table.Name, sync.Mode, cancellationToken));
        List<string> warnings = [.. extraction?.Warnings ?? [], .. loaded.SourceWarnings, .. found.Select(warning => warning.Message)];
        SourceSyncs.Record(
            connection,
            sync with { Checks = [.. found.Select(warning => warning.Check)], Warning = warnings.Count == 0 ? null : string.Join("; ", warnings) },
            cancellationToken);
        return loaded with { SourceWarnings = warnings };
    }

    /// <summary><c>full_refresh</c> or <c>incremental</c> for a database table, <c>files</c> for a files source.</summary>
    public static string ModeOf(SourceDefinition source, SourceTable table) =>
        source.Kind == SourceKind.Files ? "files" : table.Mode == ExtractionMode.Incremental ? "incremental" : "full_refresh";
}
