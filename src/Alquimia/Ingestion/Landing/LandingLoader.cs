using Alquimia.Warehouse.DuckDb;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// Appends a source table's new landing files to its bronze table (seed 000's "ingestion_landing_to_bronze"). A
/// file is new when its path, size and modification time are not yet in <c>_alquimia.ingested_files</c>; the
/// append and those records share the caller's transaction, so a file is loaded exactly once.
/// </summary>
public static class LandingLoader
{
    /// <summary>The columns bronze adds to every source row.</summary>
    public static readonly IReadOnlyList<ColumnInfo> MetadataColumns =
    [
        new("_ingestion_timestamp", "TIMESTAMP"), new("_batch_id", "VARCHAR"), new("_source", "VARCHAR"),
    ];

    /// <summary>The folder a source table's files land in.</summary>
    public static string LandingFolder(Project project, SourceDefinition source, SourceTable table) =>
        Path.Combine(project.LakePath, "landing", source.Name, table.Name);

    /// <summary>
    /// Loads the table's new files, <paramref name="pending"/> (from <see cref="PendingFiles"/>, which the caller also
    /// records); returns the rows appended, and a warning for each file set aside as unreadable. Runs inside the
    /// caller's transaction: bronze's evolution, the append and the file records commit or roll back together.
    /// </summary>
    public static MaterializationResult Load(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, IReadOnlyList<FileInfo> pending, string runId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var (files, warnings) = RejectedFiles.SetAside(connection, project, source, table, pending, runId, now, cancellationToken);
        if (files.Count == 0)
        {
            if (warnings.Count == 0 || table.Columns.Count > 0 || LandedFiles(project, source, table).Count > 0)
            {
                CreateBronze(connection, project, source, table, cancellationToken);
            }

            return MaterializationResult.None with { SourceWarnings = warnings };
        }

        var bronze = table.BronzeName;
        var paths = files.Select(file => file.FullName).ToList();
        var fileColumns = RelationCatalog.DescribeQuery(connection, $"SELECT * FROM {FileReader(source.Format, paths)}", cancellationToken);
        if (RelationCatalog.KindOf(connection, bronze, cancellationToken) == RelationKind.None)
        {
            CreateTable(connection, bronze, table.Columns.Count > 0 ? Declared(table) : fileColumns, source.Format, cancellationToken);
        }

        var columns = BronzeSchema.Evolve(connection, source, table, fileColumns, cancellationToken);

        // Every row gets a stamp of its own: the batch's first row is stamped at its start, and each row after it one
        // microsecond later, files in path order (ingestion_date=… sorts by day) and each file's rows in file order.
        // Ordering by _ingestion_timestamp is then ordering by arrival, file and line: the latest version of a key is
        // the one that came last, a correction later in the same file included, whether the files landed over many runs
        // or in one backfill. DuckDB keeps the order of the rows it reads (preserve_insertion_order), and its streaming
        // row_number() numbers them in that order.
        var batchId = $"{runId}-{table.Name}";
        var rows = connection.Execute(
            $"""
            INSERT INTO {bronze.Sql} BY NAME
            SELECT *,
                   CAST($1 AS TIMESTAMP) + to_microseconds(row_number() OVER () - 1) AS _ingestion_timestamp,
                   $2 AS _batch_id, $3 AS _source
            FROM ({LandingRows.Select(source.Format, paths, fileColumns, columns)})
            """,
            cancellationToken, FirstStamp(connection, bronze, now, cancellationToken), batchId, source.Name);
        foreach (var file in files)
        {
            connection.Execute(
                $"INSERT INTO {StateTables.IngestedFiles} (source, table_name, path, size, modified_at, batch_id, run_id, ingested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                cancellationToken, source.Name, table.Name, LakeRelative(project, file), file.Length, new DateTimeOffset(file.LastWriteTimeUtc), batchId, runId, now);
        }

        return new MaterializationResult(rows, 0, 0) { SourceWarnings = warnings };
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

    /// <summary>Creates the bronze table, empty, from the declared columns or the files already landed; false when it existed or cannot be typed yet.</summary>
    public static bool CreateBronze(CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, CancellationToken cancellationToken = default)
    {
        if (RelationCatalog.KindOf(connection, table.BronzeName, cancellationToken) != RelationKind.None)
        {
            return false;
        }

        var columns = table.Columns.Count > 0 ? Declared(table) : null;
        if (columns is null)
        {
            var files = LandedFiles(project, source, table);
            if (files.Count == 0)
            {
                throw new AlquimiaException(
                    $"Cannot create {table.BronzeName}: source '{source.Name}' declares no columns for table '{table.Name}' and no file has landed in "
                    + $"{LandingFolder(project, source, table)} yet. Declare its columns in {Path.GetFileName(source.FilePath)}, or land a file first.");
            }

            columns = RelationCatalog.DescribeQuery(connection, $"SELECT * FROM {FileReader(source.Format, files.Select(file => file.FullName))}", cancellationToken);
        }

        CreateTable(connection, table.BronzeName, columns, source.Format, cancellationToken);
        return true;
    }

    /// <summary>Creates bronze with the source's columns, then <see cref="BronzeSchema.RescuedData"/> for CSV and JSON, then <see cref="MetadataColumns"/>.</summary>
    private static void CreateTable(CheckedConnection connection, QualifiedName bronze, IEnumerable<ColumnInfo> columns, LandingFormat format, CancellationToken cancellationToken)
    {
        IEnumerable<ColumnInfo> rescued = BronzeSchema.TypesInferred(format) ? [new ColumnInfo(BronzeSchema.RescuedData, "VARCHAR")] : [];
        connection.Execute(
            $"CREATE TABLE {bronze.Sql} ({string.Join(", ", columns.Concat(rescued).Concat(MetadataColumns).Select(column => $"{SqlText.Identifier(column.Name)} {column.Type}"))})",
            cancellationToken);
    }

    private static List<ColumnInfo> Declared(SourceTable table) => [.. table.Columns.Select(column => new ColumnInfo(column.Name, column.Type))];

    /// <summary>The files landed for the table and not loaded into bronze yet, in path order.</summary>
    internal static List<FileInfo> PendingFiles(CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, CancellationToken cancellationToken)
    {
        var known = connection.Query(
                $"SELECT path, size, epoch_us(modified_at) FROM {StateTables.IngestedFiles} WHERE source = $1 AND table_name = $2",
                reader => (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken, source.Name, table.Name)
            .ToHashSet();
        return [.. LandedFiles(project, source, table)
            .Where(file => !known.Contains((LakeRelative(project, file), file.Length, ModifiedMicros(file))))];
    }

    private static List<FileInfo> LandedFiles(Project project, SourceDefinition source, SourceTable table)
    {
        var folder = new DirectoryInfo(LandingFolder(project, source, table));
        if (!folder.Exists)
        {
            return [];
        }

        return [.. folder.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(file => Extensions(source.Format).Contains(file.Extension, StringComparer.OrdinalIgnoreCase)
                && !RejectedFiles.IsRejected(folder.FullName, file.FullName) && !IsHidden(folder.FullName, file.FullName))
            .OrderBy(file => file.FullName, StringComparer.Ordinal)];
    }

    /// <summary>
    /// True for a file or folder whose name starts with a dot, as Spark and Hadoop skip them too: a sync's parts are
    /// written under <c>.&lt;batch&gt;.partial/</c> until they are published.
    /// </summary>
    private static bool IsHidden(string landingFolder, string path) =>
        Path.GetRelativePath(landingFolder, path).Split(Path.DirectorySeparatorChar).Any(segment => segment.StartsWith('.'));

    private static string[] Extensions(LandingFormat format) => format switch
    {
        LandingFormat.Parquet => [".parquet"],
        LandingFormat.Csv => [".csv"],
        _ => [".json", ".jsonl", ".ndjson"],
    };

    /// <summary>
    /// The table function reading the files. Hive partitioning is off: the ingestion_date folder is the lake's
    /// bookkeeping, and bronze has <c>_ingestion_timestamp</c> for it.
    /// </summary>
    private static string FileReader(LandingFormat format, IEnumerable<string> paths)
    {
        const string options = "union_by_name = true, hive_partitioning = false";
        return format switch
        {
            LandingFormat.Parquet => $"read_parquet({ListLiteral(paths)}, {options})",
            LandingFormat.Csv => $"read_csv({ListLiteral(paths)}, {options}, header = true)",
            _ => $"read_json({ListLiteral(paths)}, {options}, format = 'newline_delimited')",
        };
    }

    /// <summary>A DuckDB list of string literals, e.g. the paths a reader reads.</summary>
    internal static string ListLiteral(IEnumerable<string> texts) =>
        SqlText.LiteralList(texts);

    /// <summary>A file's path inside the lake, with forward slashes: the project folder can move without every file looking new.</summary>
    private static string LakeRelative(Project project, FileInfo file) =>
        Path.GetRelativePath(project.LakePath, file.FullName).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The file's modification time in microseconds since 1970, the precision DuckDB stores.</summary>
    private static long ModifiedMicros(FileInfo file) => (file.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
