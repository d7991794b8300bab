using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion;

/// <summary>
/// One sync of a source table, as its ingestion step runs it: the connector extracts the table into a landing batch
/// (for a source Alquimia extracts), the table's new landing files go into bronze, the table's cursor is stored, the
/// checks compare the sync with the previous one, and the sync is recorded in <c>_alquimia.source_syncs</c> — all in
/// the step's transaction.
/// </summary>
internal static class SourceSync
{
    /// <summary>The <c>mode</c> of a replay's row in <c>source_syncs</c>.</summary>
    public const string ReplayMode = "replay";

    /// <summary>Syncs the table; its result carries the extraction's and the checks' warnings.</summary>
    /// <param name="session">The run's session with the source, asked for only when the connector extracts.</param>
    public static MaterializationResult Run(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, ISourceConnector connector, string runId, TimeProvider time,
        Func<ISyncSession> session, ILogger logger, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var extraction = connector.Traits.Extracts ? Extract(connection, project, source, table, runId, time, session, logger, cancellationToken) : null;
        var pending = LandingLoader.PendingFiles(connection, project, source, table, cancellationToken);
        var loaded = LandingLoader.Load(connection, project, source, table, pending, runId, time.GetUtcNow(), cancellationToken);
        // A file the loader could not parse was moved to _rejected: it brought nothing.
        var files = pending.Where(file => File.Exists(file.FullName)).ToList();
        var sync = new SourceSyncRecord(runId, source.Name, table.Name, ModeOf(connector, table), startedAt, time.GetUtcNow())
        {
            // A files source landed what its new files hold; with no new file, nothing landed at all.
            RowsLanded = extraction?.Rows ?? (files.Count > 0 ? loaded.RowsInserted : null),
            RowsLoaded = loaded.RowsInserted,
            Files = files.Count,
            Bytes = files.Sum(file => file.Length),
        };
        if (extraction is not null)
        {
            SourceCursors.Write(connection, source.Name, table.Name, extraction.Cursor, runId, time.GetUtcNow(), cancellationToken);
        }

        LogMessages.Synced(logger, source.Name, table.Name, sync.Mode, sync.RowsLanded, sync.RowsLoaded, sync.Files);
        var found = SyncCheck.Run(sync, table, SourceSyncs.Previous(connection, source.Name, table.Name, sync.Mode, cancellationToken));
        List<string> warnings = [.. extraction?.Warnings ?? [], .. loaded.SourceWarnings, .. found.Select(warning => warning.Message)];
        SourceSyncs.Record(
            connection,
            sync with { Checks = [.. found.Select(warning => warning.Check)], Warning = warnings.Count == 0 ? null : string.Join("; ", warnings) },
            cancellationToken);
        return loaded with { SourceWarnings = warnings };
    }

    /// <summary><c>full_refresh</c> or <c>incremental</c> for a table Alquimia extracts, <c>files</c> for one another tool lands.</summary>
    public static string ModeOf(ISourceConnector connector, SourceTable table) =>
        !connector.Traits.Extracts ? "files" : table.Mode == ExtractionMode.Incremental ? "incremental" : "full_refresh";

    /// <summary>
    /// Extracts the table from its stored cursor into a new landing batch, and publishes the batch: bronze takes it
    /// next, in this transaction. A batch is visible once complete, never in part.
    /// </summary>
    private static Extraction Extract(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, string runId, TimeProvider time,
        Func<ISyncSession> session, ILogger logger, CancellationToken cancellationToken)
    {
        var from = table.Mode == ExtractionMode.Incremental ? SyncStart.Find(connection, project, source, table, cancellationToken) : null;
        if (from is null)
        {
            LogMessages.ExtractingInFull(logger, source.Name, table.Name);
        }
        else
        {
            LogMessages.ExtractingFrom(logger, source.Name, table.Name, from.Column ?? from.Kind, from.Value);
        }

        var now = time.GetUtcNow();
        using var batch = new LandingBatch(
            LandingLoader.LandingFolder(project, source, table), now, $"{runId}-{now.UtcTicks.ToString(CultureInfo.InvariantCulture)}");
        var extraction = session().Extract(new ExtractionRequest(project, source, table, from, batch, connection), cancellationToken);
        batch.Publish(keepEmpty: table.Mode == ExtractionMode.FullRefresh);
        return extraction;
    }
}
