using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Ingestion.Landing.Storage;
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
        if (connector.Traits.Extracts)
        {
            // For an s3:// root: the batches in the bucket that the local copy lacks, before the sync's start is found.
            LandingStores.Fetch(project, source, table, cancellationToken);
        }

        var extraction = connector.Traits.Extracts ? Extract(connection, project, source, table, connector, runId, time, session, logger, cancellationToken) : null;
        // bronze: false: the batch landed, and stays pending until bronze is wanted. The step's rows are the rows landed.
        var landedOnly = extraction is not null && !source.LoadsBronze;
        List<LandingFile> pending = landedOnly ? [] : LandingFiles.Pending(connection, project, source, table, byContent: !connector.Traits.Extracts, cancellationToken);
        if (!connector.Traits.Extracts)
        {
            CheckSomethingLanded(connection, project, source, table, pending, cancellationToken);
        }

        var loaded = landedOnly
            ? new MaterializationResult(extraction!.Rows, 0, 0)
            : LandingLoader.Load(connection, project, source, table, pending, runId, time.GetUtcNow(), cancellationToken);
        // A file the loader could not parse was moved to _rejected, and one seen before brought nothing new.
        var files = pending.Where(file => file.Kind is LandingFileKind.New or LandingFileKind.NewVersion && File.Exists(file.FullName)).ToList();
        var sync = new SourceSyncRecord(runId, source.Name, table.Name, ModeOf(connector, table), startedAt, time.GetUtcNow())
        {
            // A files source landed what its new files hold; with no new file, nothing landed at all.
            RowsLanded = extraction?.Rows ?? (files.Count > 0 ? loaded.RowsInserted : null),
            RowsLoaded = landedOnly ? 0 : loaded.RowsInserted,
            Files = files.Count,
            Bytes = files.Sum(file => file.Info.Length),
        };
        if (extraction is not null)
        {
            SourceCursors.Write(connection, source.Name, table.Name, extraction.Cursor, runId, time.GetUtcNow(), cancellationToken);
        }

        LogMessages.Synced(logger, source.Name, table.Name, sync.Mode, sync.RowsLanded, sync.RowsLoaded, sync.Files);
        var found = SyncCheck.Run(sync, table, SourceSyncs.Previous(connection, source.Name, table.Name, sync.Mode, cancellationToken));
        List<string> warnings =
            [.. extraction?.Warnings ?? [], .. loaded.SourceWarnings, .. found.Select(warning => warning.Message), .. UnclaimedFolders(project, source, table, connector)];
        SourceSyncs.Record(
            connection,
            sync with { Checks = [.. found.Select(warning => warning.Check)], Warning = warnings.Count == 0 ? null : string.Join("; ", warnings) },
            cancellationToken);
        return loaded with { SourceWarnings = warnings };
    }

    /// <summary>
    /// Fails the sync of a files table that has never received a file, naming where it looked: a wrong path or a feed
    /// that never started must not load 0 rows in silence (seed 000's first alert, "Qtd Bronze = 0"), unless the table
    /// says <c>allow_empty: true</c>.
    /// </summary>
    private static void CheckSomethingLanded(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, List<LandingFile> pending, CancellationToken cancellationToken)
    {
        if (table.Files.AllowEmpty || pending.Count > 0
            || connection.Scalar<bool>($"SELECT count(*) > 0 FROM {StateTables.IngestedFiles} WHERE source = $1 AND table_name = $2", cancellationToken, source.Name, table.Name))
        {
            return;
        }

        var where = LandingFiles.Describe(project, source, table);
        var missing = Directory.Exists(LandingFiles.Root(project, source, table)) ? "holds no file of the table" : "does not exist";
        throw new AlquimiaException(
            $"No landing file has ever arrived for {table.BronzeName} of source '{source.Name}': {where} {missing}. "
            + $"Check the source's lake and the table's name or path in {Path.GetFileName(source.FilePath)}; while the feed has not started, "
            + "set allow_empty: true on the table to let it stay empty.");
    }

    /// <summary>
    /// A warning for each folder beside the source's tables that no table owns (<c>pedidoss</c> next to
    /// <c>pedidos</c>): its files would never load. Given to the table whose name it is closest to, else to the
    /// source's first table, so it is said once per run.
    /// </summary>
    private static IEnumerable<string> UnclaimedFolders(Project project, SourceDefinition source, SourceTable table, ISourceConnector connector)
    {
        if (connector.Traits.Extracts)
        {
            yield break;
        }

        var names = source.Tables.Select(other => other.Name).ToList();
        foreach (var folder in LandingFiles.UnclaimedFolders(project, source))
        {
            var closest = Projects.Loading.Suggestions.Closest(folder, names) ?? names.FirstOrDefault();
            if (string.Equals(closest, table.Name, StringComparison.Ordinal))
            {
                yield return $"landing folder {Path.Combine("landing", source.Name, folder)} matches no table of source '{source.Name}', so its files are not loaded"
                    + Projects.Loading.Suggestions.DidYouMean(folder, names) + " Rename the folder, or declare the table.";
            }
        }
    }

    /// <summary>
    /// Moves a change feed's landed batches that bronze never took (a sync that failed after landing them) to the
    /// table's hidden <c>.superseded/</c> folder: the slot was not acknowledged past them, so this sync reads the same
    /// changes again, and loading both would double them.
    /// </summary>
    private static void SetAsideUnloaded(CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, string runId, CancellationToken cancellationToken)
    {
        var folder = LandingFiles.Root(project, source, table);
        foreach (var file in LandingFiles.Pending(connection, project, source, table, byContent: false, cancellationToken))
        {
            var target = Path.Combine(folder, ".superseded", Path.GetRelativePath(folder, file.FullName));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(file.FullName, target, overwrite: true);
            File.WriteAllText(target + ".reason.txt", $"Set aside by run {runId}: bronze never loaded it, and this run read its changes again from the slot.\n");
        }
    }

    /// <summary>
    /// <c>full_refresh</c> or <c>incremental</c> for a table Alquimia extracts, <c>cdc</c> for one read from a change log,
    /// <c>files</c> for one another tool lands.
    /// </summary>
    public static string ModeOf(ISourceConnector connector, SourceTable table) =>
        !connector.Traits.Extracts ? "files"
        : connector.Traits.ChangeLog ? "cdc"
        : table.Mode == ExtractionMode.Incremental ? "incremental" : "full_refresh";

    /// <summary>
    /// Extracts the table from its stored cursor into a new landing batch, and publishes the batch: bronze takes it
    /// next, in this transaction. A batch is visible once complete, never in part.
    /// </summary>
    private static Extraction Extract(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, ISourceConnector connector, string runId, TimeProvider time,
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

        if (connector.Traits.ChangeLog)
        {
            SetAsideUnloaded(connection, project, source, table, runId, cancellationToken);
        }

        var now = time.GetUtcNow();
        using var batch = new LandingBatch(
            table.Name, LandingFiles.DefaultFolder(project, source, table), now, $"{runId}-{now.UtcTicks.ToString(CultureInfo.InvariantCulture)}", source.Landing,
            LandingStores.For(source));
        var extraction = session().Extract(new ExtractionRequest(project, source, table, from, batch, connection), cancellationToken);
        LandedParts.Check(connection, source.Name, table.Name, batch, cancellationToken);
        // An empty full refresh is the table now, and an incremental table's (or a change feed's) first sync must type
        // bronze even when the table starts empty; an incremental sync with nothing new leaves nothing behind.
        var wholeTable = ModeOf(connector, table) == "full_refresh";
        batch.Publish(
            keepEmpty: wholeTable || RelationCatalog.KindOf(connection, table.BronzeName, cancellationToken) == RelationKind.None,
            cancellationToken);
        return extraction;
    }
}
