using Alquimia.Warehouse.DuckDb;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// Rebuilds a bronze table from its landing files alone (<c>alquimia ingest --replay</c>): bronze is dropped, the
/// table's <c>_alquimia.ingested_files</c> rows are forgotten, and every landing file is loaded again, in path order,
/// as a first ingestion would. The source itself is never contacted. It all happens in the caller's transaction, so
/// a replay cut short leaves bronze as it was.
/// </summary>
/// <remarks>
/// The replayed rows are the original ones except for <c>_batch_id</c> (the replay's) and <c>_ingestion_timestamp</c>
/// (the replay's time, a microsecond apart per file in path order): downstream incremental models then see every row
/// as new and merge it again, which is the point of reprocessing from scratch.
/// </remarks>
internal static class LandingReplay
{
    /// <summary>Replays the table; fails, touching nothing, when a file bronze was loaded from is gone from the lake.</summary>
    public static MaterializationResult Run(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, string runId, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!source.LoadsBronze)
        {
            throw new AlquimiaException(
                $"Cannot replay {table.BronzeName}: source '{source.Name}' lands its tables without loading them (bronze: false in {Path.GetFileName(source.FilePath)}), so there is no bronze to rebuild. "
                + "Remove 'bronze: false' to have bronze: the next sync loads every batch landed so far.");
        }

        var startedAt = time.GetUtcNow();
        // For an s3:// root the bucket is the landing, and the lake only its local copy, which may lack batches.
        Storage.LandingStores.Fetch(project, source, table, cancellationToken);
        var loadedFrom = connection.Query(
            $"SELECT DISTINCT path FROM {StateTables.IngestedFiles} WHERE source = $1 AND table_name = $2 ORDER BY path",
            reader => reader.GetString(0), cancellationToken, source.Name, table.Name);
        var missing = loadedFrom.Where(path => !File.Exists(Path.Combine(project.LakePath, path))).ToList();
        if (missing.Count > 0)
        {
            throw new AlquimiaException(
                $"Cannot replay {table.BronzeName} of source '{source.Name}': {missing.Count} of the {loadedFrom.Count} landing files it was loaded from "
                + $"are gone from the lake (first: {missing[0]}), and replaying would lose their rows. Put them back in {project.LakePath}, or leave the table out of the replay.");
        }

        connection.Execute($"DELETE FROM {StateTables.IngestedFiles} WHERE source = $1 AND table_name = $2", cancellationToken, source.Name, table.Name);
        var files = LandingFiles.Pending(connection, project, source, table, byContent: !SourceConnectors.Default.For(source).Traits.Extracts, cancellationToken);
        // A load sets an unreadable file aside and goes on; a replay must not: if bronze was loaded from that file, its
        // rows would be gone from the rebuilt bronze, and the file moved out of the replay's reach.
        if (RejectedFiles.FirstUnreadable(connection, source, table, files, cancellationToken) is var (unreadable, reason))
        {
            throw new AlquimiaException(
                $"Cannot replay {table.BronzeName} of source '{source.Name}': landing file {unreadable.LakePath} "
                + $"cannot be read ({reason.Split('\n', 2)[0].Trim()}). Restore it, or move it out of the landing folder if its rows should go.");
        }

        var loaded = MaterializationResult.None;
        if (files.Count > 0)
        {
            // With no file landed, nothing was ever loaded either: bronze is empty (or absent) and stays as it is.
            connection.Execute($"DROP TABLE IF EXISTS {table.BronzeName.Sql}", cancellationToken);
            loaded = LandingLoader.Load(connection, project, source, table, files, runId, time.GetUtcNow(), cancellationToken);
            // A line set aside now was loaded before (a file damaged since): the replay would lose its row.
            if (RejectedRows.OfRun(connection, source, table, runId, cancellationToken) is [var damaged, ..])
            {
                throw new AlquimiaException(
                    $"Cannot replay {table.BronzeName} of source '{source.Name}': landing file {damaged.Path} cannot be read (line {damaged.FirstLine}: "
                    + $"{damaged.FirstReason}), and replaying would lose that row. Restore the file, or move it out of the landing folder if its rows should go.");
            }
        }

        SourceSyncs.Record(
            connection,
            new SourceSyncRecord(runId, source.Name, table.Name, SourceSync.ReplayMode, startedAt, time.GetUtcNow())
            {
                RowsLoaded = loaded.RowsInserted,
                Files = files.Count,
                Bytes = files.Sum(file => file.Info.Length),
            },
            cancellationToken);
        return loaded;
    }
}
