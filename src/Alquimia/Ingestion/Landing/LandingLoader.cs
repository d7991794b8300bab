using Alquimia.Ingestion.Cdc;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// Appends a source table's new landing files to its bronze table (seed 000's "ingestion_landing_to_bronze"). Which
/// files are new is <see cref="LandingFiles"/>' call; the append, the rows it replaces, the malformed lines set aside
/// and the files' records in <c>_alquimia.ingested_files</c> share the caller's transaction, so a file is loaded
/// exactly once.
/// </summary>
public static class LandingLoader
{
    /// <summary>Bronze's column of each row's arrival: one microsecond apart, in file and row order.</summary>
    public const string IngestionTimestamp = "_ingestion_timestamp";

    /// <summary>The columns bronze adds to every source row.</summary>
    public static readonly IReadOnlyList<ColumnInfo> MetadataColumns =
    [
        new(IngestionTimestamp, "TIMESTAMP"), new("_batch_id", "VARCHAR"), new("_source", "VARCHAR"), new(LandingRows.SourceFileColumn, "VARCHAR"),
    ];

    /// <summary>
    /// Loads the table's new files, <paramref name="pending"/> (from <see cref="LandingFiles.Pending"/>); returns the rows
    /// appended and deleted (a file's older version, a snapshot's previous one), and a warning for each file or line set
    /// aside. Runs inside the caller's transaction: bronze's evolution, the append and the records commit or roll back
    /// together.
    /// </summary>
    internal static MaterializationResult Load(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, IReadOnlyList<LandingFile> pending, string runId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batchId = $"{runId}-{table.Name}";
        var records = new List<(LandingFile File, string Outcome)>();
        var warnings = new List<string>();
        var toRead = new List<LandingFile>();
        foreach (var file in pending)
        {
            switch (file.Kind)
            {
                case LandingFileKind.Empty:
                    records.Add((file, "empty"));
                    break;
                case LandingFileKind.SameContent:
                    // Touched, put back, or a daily export of rows that did not change: its rows are in bronze already.
                    records.Add((file, "same_content"));
                    break;
                case LandingFileKind.ChangedSinceUnhashedLoad:
                    records.Add((file, "not_reloaded"));
                    warnings.Add(
                        $"{table.Name}: landing file {file.LakePath} changed since it was loaded by a version of Alquimia that kept no hash of a file's content, "
                        + "so its old rows cannot be told apart: it was not loaded again. `alquimia ingest --replay` reloads the table from its files.");
                    break;
                default:
                    toRead.Add(file);
                    break;
            }
        }

        var (readable, setAside) = RejectedFiles.SetAside(connection, project, source, table, toRead, runId, now, cancellationToken);
        warnings.AddRange(setAside);
        if (table.Files.Mode == FileTableMode.Snapshot && readable.Count > 1)
        {
            // Each file of a full-export feed is the whole table: the newest one (last in path order) is the table now.
            records.AddRange(readable[..^1].Select(file => (file, "superseded")));
            readable = [readable[^1]];
        }

        if (readable.Count == 0)
        {
            if (setAside.Count == 0 || table.Columns.Count > 0 || LandingFiles.Found(project, source, table).Count > 0)
            {
                CreateBronze(connection, project, source, table, cancellationToken);
            }

            RecordFiles(connection, project, source, table, records, batchId, runId, now, cancellationToken);
            return MaterializationResult.None with { SourceWarnings = warnings };
        }

        var bronze = table.BronzeName;
        if (RelationCatalog.KindOf(connection, bronze, cancellationToken) == RelationKind.None)
        {
            CreateTable(connection, bronze, table.Columns.Count > 0 ? Declared(source, table) : Describe(connection, source, table, [readable[0].FullName], cancellationToken), source.Format, cancellationToken);
        }

        var deleted = table.Files.Mode == FileTableMode.Snapshot
            ? connection.Execute($"DELETE FROM {bronze.Sql}", cancellationToken)
            : DeleteOlderVersions(connection, bronze, readable, cancellationToken);
        var stamp = FirstStamp(connection, bronze, now, cancellationToken);
        long inserted = 0;
        foreach (var group in ReadTogether(connection, source, table, readable, cancellationToken))
        {
            var columns = BronzeSchema.Evolve(connection, source, table, group.Columns, cancellationToken);
            // Every row gets a stamp of its own: the batch's first row is stamped at its start, and each row after it one
            // microsecond later, files in path order (ingestion_date=… sorts by day) and each file's rows in file order
            // (LandingRows' position). Ordering by _ingestion_timestamp is then ordering by arrival, file and line: the
            // latest version of a key is the one that came last, a correction later in the same file included, whether
            // the files landed over many runs or in one backfill.
            List<string> paths = [.. group.Files.Select(file => file.FullName)];
            var parquetRows = source.Format == LandingFormat.Parquet ? ParquetRows(connection, paths, cancellationToken) : null;
            var rows = connection.Execute(
                $"""
                INSERT INTO {bronze.Sql} BY NAME
                SELECT * EXCLUDE ({LandingRows.PositionColumn}),
                       CAST($1 AS TIMESTAMP) + to_microseconds({LandingRows.PositionColumn}) AS _ingestion_timestamp,
                       $2 AS _batch_id, $3 AS _source
                FROM ({LandingRows.Select(source.Format, table.Files, paths, group.Columns, columns, project.LakePath, parquetRows)})
                """,
                cancellationToken, stamp, batchId, source.Name);
            if (source.Format != LandingFormat.Parquet && rows > 0)
            {
                // CSV and JSON rows were appended unstamped, in file and line order (DuckDB keeps the order it reads,
                // preserve_insertion_order, on every core), so their row ids, consecutive in this transaction, are their
                // positions: one UPDATE of the new rows' stamp cost 3 s of 18 on 1 GB, where numbering the rows while
                // reading kept the load on one core (24 s).
                var first = connection.Scalar<long>($"SELECT min(rowid) FROM {bronze.Sql} WHERE _ingestion_timestamp IS NULL", cancellationToken);
                connection.Execute(
                    $"UPDATE {bronze.Sql} SET _ingestion_timestamp = CAST($1 AS TIMESTAMP) + to_microseconds(rowid - $2) WHERE _ingestion_timestamp IS NULL",
                    cancellationToken, stamp, first);
            }

            stamp = stamp.AddTicks(rows * TimeSpan.TicksPerMicrosecond);
            inserted += rows;
            if (source.Format == LandingFormat.Csv)
            {
                RejectedRows.Keep(connection, project, source, table, runId, now, cancellationToken);
            }
        }

        records.AddRange(readable.Select(file => (file, file.Kind == LandingFileKind.NewVersion ? "new_version" : "loaded")));
        RecordFiles(connection, project, source, table, records, batchId, runId, now, cancellationToken);
        if (RejectedRows.OfRun(connection, source, table, runId, cancellationToken) is { Count: > 0 } rejected)
        {
            var first = rejected[0];
            var message = $"{table.Name}: {rejected.Sum(file => file.Lines)} malformed line(s) in {rejected.Count} landing file(s) were set aside in "
                + $"{StateTables.RejectedRows}, the files' other rows loaded (first: {first.Path} line {first.FirstLine}: {first.FirstReason}).";
            if (table.Files.OnRejectedRows == RejectedRowsAction.Fail)
            {
                throw new AlquimiaException(
                    message.Replace("were set aside in", "were found; nothing of the batch was loaded. They are listed by", StringComparison.Ordinal)
                    + $" Fix the lines and deliver the file again, or set on_rejected_rows: warn on {table.Name} in {Path.GetFileName(source.FilePath)} to load the good rows.");
            }

            warnings.Add(message);
        }

        return new MaterializationResult(inserted, 0, deleted) { SourceWarnings = warnings };
    }

    /// <summary>Creates the bronze table, empty, from the declared columns or the files already landed; false when it existed or cannot be typed yet.</summary>
    public static bool CreateBronze(CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, CancellationToken cancellationToken = default)
    {
        if (RelationCatalog.KindOf(connection, table.BronzeName, cancellationToken) != RelationKind.None)
        {
            return false;
        }

        var columns = table.Columns.Count > 0 ? Declared(source, table) : null;
        if (columns is null)
        {
            var files = LandingFiles.Found(project, source, table).Where(file => file.Length > 0).ToList();
            if (files.Count == 0)
            {
                throw new AlquimiaException(
                    $"Cannot create {table.BronzeName}: source '{source.Name}' declares no columns for table '{table.Name}' and no file has landed in "
                    + $"{LandingFiles.Describe(project, source, table)} yet. Declare its columns in {Path.GetFileName(source.FilePath)}, or land a file first.");
            }

            columns = Describe(connection, source, table, [files[0].FullName], cancellationToken);
        }

        CreateTable(connection, table.BronzeName, columns, source.Format, cancellationToken);
        return true;
    }

    /// <summary>
    /// The table function reading the files with the columns' types guessed. Hive partitioning is off: the
    /// ingestion_date folder is the lake's bookkeeping, and bronze has <c>_ingestion_timestamp</c> for it.
    /// </summary>
    internal static string FileReader(LandingFormat format, IEnumerable<string> paths)
    {
        const string options = "union_by_name = true, hive_partitioning = false";
        return format switch
        {
            LandingFormat.Parquet => $"read_parquet({ListLiteral(paths)}, {options})",
            _ => $"read_json({ListLiteral(paths)}, {options}, format = 'newline_delimited')",
        };
    }

    /// <summary>A DuckDB list of string literals, e.g. the paths a reader reads.</summary>
    internal static string ListLiteral(IEnumerable<string> texts) =>
        SqlText.LiteralList(texts);

    /// <summary>The files' columns, refused when bronze cannot hold them as they are (<see cref="BronzeSchema.CheckColumnNames"/>).</summary>
    private static List<ColumnInfo> Describe(CheckedConnection connection, SourceDefinition source, SourceTable table, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var columns = RelationCatalog.DescribeQuery(connection, LandingRows.Describe(source.Format, table.Files, paths), cancellationToken);
        BronzeSchema.CheckColumnNames(source, table, columns.Select(column => column.Name));
        return columns;
    }

    /// <summary>
    /// The files in groups read by one statement each, in path order: Parquet and JSON files all together (their
    /// columns united by name); consecutive CSV files with the same columns in the same order, since DuckDB's CSV reader
    /// sets malformed lines aside only when it does not unite columns by name.
    /// </summary>
    private static List<(List<LandingFile> Files, List<ColumnInfo> Columns)> ReadTogether(
        CheckedConnection connection, SourceDefinition source, SourceTable table, IReadOnlyList<LandingFile> files, CancellationToken cancellationToken)
    {
        if (source.Format != LandingFormat.Csv)
        {
            return [([.. files], Describe(connection, source, table, [.. files.Select(file => file.FullName)], cancellationToken))];
        }

        var groups = new List<(List<LandingFile> Files, List<ColumnInfo> Columns)>();
        foreach (var file in files)
        {
            var columns = Describe(connection, source, table, [file.FullName], cancellationToken);
            if (groups.Count > 0 && groups[^1].Columns.Select(column => column.Name).SequenceEqual(columns.Select(column => column.Name), StringComparer.Ordinal))
            {
                groups[^1].Files.Add(file);
            }
            else
            {
                groups.Add(([file], columns));
            }
        }

        return groups;
    }

    /// <summary>Each Parquet file's row count, from its footer, in the order of <paramref name="paths"/>.</summary>
    private static List<long> ParquetRows(CheckedConnection connection, List<string> paths, CancellationToken cancellationToken)
    {
        var rows = connection.Query(
                $"SELECT file_name, num_rows FROM parquet_file_metadata({ListLiteral(paths)})",
                reader => (Path: reader.GetString(0), Rows: reader.GetInt64(1)), cancellationToken)
            .ToDictionary(file => file.Path, file => file.Rows, StringComparer.Ordinal);
        return [.. paths.Select(path => rows[path])];
    }

    /// <summary>
    /// Deletes the rows of the earlier version of each re-delivered file: a corrected file replaces the rows of the one
    /// it corrects, and never adds to them. Returns the rows deleted.
    /// </summary>
    private static long DeleteOlderVersions(CheckedConnection connection, QualifiedName bronze, IReadOnlyList<LandingFile> files, CancellationToken cancellationToken)
    {
        var replaced = files.Where(file => file.Kind == LandingFileKind.NewVersion).Select(file => file.LakePath).ToList();
        return replaced.Count == 0
            ? 0
            : connection.Execute($"DELETE FROM {bronze.Sql} WHERE {LandingRows.SourceFileColumn} IN (SELECT unnest({SqlText.LiteralList(replaced)}))", cancellationToken);
    }

    private static void RecordFiles(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, List<(LandingFile File, string Outcome)> files, string batchId,
        string runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return;
        }

        var rows = RelationCatalog.KindOf(connection, table.BronzeName, cancellationToken) == RelationKind.Table
            ? connection.Query(
                    $"SELECT {LandingRows.SourceFileColumn}, count(*) FROM {table.BronzeName.Sql} WHERE _batch_id = $1 GROUP BY ALL",
                    reader => (Path: reader.GetString(0), Rows: reader.GetInt64(1)), cancellationToken, batchId)
                .ToDictionary(file => file.Path, file => file.Rows, StringComparer.Ordinal)
            : [];
        foreach (var (file, outcome) in files)
        {
            connection.Execute(
                $"""
                INSERT INTO {StateTables.IngestedFiles} (source, table_name, path, size, modified_at, batch_id, run_id, ingested_at, content_hash, rows, outcome)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """,
                cancellationToken, source.Name, table.Name, file.LakePath, file.Info.Length, new DateTimeOffset(file.Info.LastWriteTimeUtc), batchId, runId, now,
                file.ContentHash, rows.GetValueOrDefault(file.LakePath), outcome);
        }
    }

    /// <summary>
    /// The stamp of a batch's first row: <paramref name="now"/>, or a microsecond after the last stamp in bronze when that
    /// is later (a big batch's stamps run ahead of the clock by a microsecond a row; a clock set back).
    /// </summary>
    private static DateTime FirstStamp(CheckedConnection connection, QualifiedName bronze, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var start = DateTime.SpecifyKind(now.UtcDateTime, DateTimeKind.Unspecified);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerMicrosecond));
        var last = connection.Scalar<DateTime?>($"SELECT max(_ingestion_timestamp) FROM {bronze.Sql}", cancellationToken);
        return last is { } previous && previous >= start ? previous.AddTicks(TimeSpan.TicksPerMicrosecond) : start;
    }

    /// <summary>Creates bronze with the source's columns, then <see cref="BronzeSchema.RescuedData"/> for CSV and JSON, then <see cref="MetadataColumns"/>.</summary>
    private static void CreateTable(CheckedConnection connection, QualifiedName bronze, IEnumerable<ColumnInfo> columns, LandingFormat format, CancellationToken cancellationToken)
    {
        IEnumerable<ColumnInfo> rescued = BronzeSchema.TypesInferred(format) ? [new ColumnInfo(BronzeSchema.RescuedData, "VARCHAR")] : [];
        connection.Execute(
            $"CREATE TABLE {bronze.Sql} ({string.Join(", ", columns.Concat(rescued).Concat(MetadataColumns).Select(column => $"{SqlText.Identifier(column.Name)} {column.Type}"))})",
            cancellationToken);
    }

    /// <summary>
    /// The table's declared columns; a change feed's (a CDC source's) with the change columns its syncs land after them,
    /// without which an apply_changes model over a feed created before its first sync could not bind its sequence.
    /// </summary>
    private static List<ColumnInfo> Declared(SourceDefinition source, SourceTable table) =>
    [
        .. table.Columns.Select(column => new ColumnInfo(column.Name, column.Type)),
        .. SourceConnectors.Default.For(source).Traits.ChangeLog ? ChangeColumns.Typed : [],
    ];
}
