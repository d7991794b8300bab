using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// The SELECT that reads a batch of landing files into bronze's columns and <see cref="SourceFileColumn"/>, in file
/// order and, within a file, in row order. Parquet columns are taken as they are. CSV and JSON are read once, every value as text (CSV) or as its JSON (JSON), and each cast with
/// TRY_CAST to its bronze type: a value that does not fit, and under <c>schema_evolution: ignore</c> every value of a
/// column bronze does not have, goes into <see cref="BronzeSchema.RescuedData"/> as
/// <c>{"valor": "abc", "_file_path": "…"}</c>, as Databricks Auto Loader does, instead of failing the batch.
/// </summary>
internal static class LandingRows
{
    /// <summary>Bronze's column naming each row's landing file, by its path inside the lake.</summary>
    public const string SourceFileColumn = "_source_file";

    /// <summary>
    /// The column the SELECT adds: the row's position in the batch, from 0, files in the order given and each file's
    /// rows in file order.
    /// </summary>
    public const string PositionColumn = "__alquimia_position";

    /// <summary>The temporary tables DuckDB's CSV reader writes a scan's malformed lines to (store_rejects).</summary>
    public const string RejectErrors = "__alquimia_reject_errors";

    public const string RejectScans = "__alquimia_reject_scans";

    /// <summary>The readers' file-name column, named so that no source column (a CSV's <c>filename</c>) meets it.</summary>
    private const string FileColumn = "__alquimia_file";

    /// <summary>The SELECT of the files' rows, with the columns named as in bronze.</summary>
    /// <param name="format">The files' format.</param>
    /// <param name="paths">The files, in load order.</param>
    /// <param name="incoming">The files' columns and their guessed types (for CSV and JSON only the names matter).</param>
    /// <param name="bronze">Bronze's columns after evolution, by name.</param>
    /// <param name="lakePath">The lake's folder: a file's <see cref="SourceFileColumn"/> is its path inside it.</param>
    /// <param name="parquetRows">For Parquet, each file's row count (from its footer), in the order of <paramref name="paths"/>.</param>
    public static string Select(
        LandingFormat format, FileReading reading, IReadOnlyList<string> paths, IReadOnlyList<ColumnInfo> incoming, IReadOnlyDictionary<string, string> bronze,
        string lakePath, IReadOnlyList<long>? parquetRows = null)
    {
        var sourceFile = $"{LakePathOf($"raw.{FileColumn}", lakePath)} AS {SourceFileColumn}";
        if (!BronzeSchema.TypesInferred(format))
        {
            // A Parquet row's position is its file's first row's plus its row number in the file (DuckDB's
            // file_row_number): computed row by row, so the load keeps every core. Numbering rows with row_number()
            // OVER () instead, as CSV and JSON must, makes DuckDB run the load on one core.
            var firstRows = new List<long>();
            var next = 0L;
            foreach (var rows in parquetRows ?? throw new ArgumentNullException(nameof(parquetRows), "A Parquet load needs each file's row count."))
            {
                firstRows.Add(next);
                next += rows;
            }

            var position = $"CAST([{string.Join(", ", firstRows.Select(row => $"{row}::BIGINT"))}][CAST({FileIndex(paths, incoming)} AS BIGINT) + 1] + raw.file_row_number AS BIGINT) AS {PositionColumn}";
            var taken = incoming.Where(column => bronze.ContainsKey(column.Name)).Select(column => "raw." + SqlText.Identifier(column.Name));
            return $"SELECT {string.Join(", ", taken.Append(sourceFile).Append(position))} "
                + $"FROM read_parquet({LandingLoader.ListLiteral(paths)}, union_by_name = true, hive_partitioning = false, filename = '{FileColumn}', file_row_number = true) raw";
        }

        var json = format == LandingFormat.Json;
        var values = new List<string>();
        var rescued = new List<string>();
        foreach (var column in incoming)
        {
            var raw = "raw." + SqlText.Identifier(column.Name);
            var asJson = json ? raw : $"to_json({raw})";
            if (!bronze.TryGetValue(column.Name, out var type))
            {
                rescued.Add(Entry(column.Name, $"CASE WHEN {raw} IS NOT NULL THEN {asJson} END"));
                continue;
            }

            var value = Cast(raw, type, json, reading.Csv);
            values.Add($"{value} AS {SqlText.Identifier(column.Name)}");
            rescued.Add(Entry(column.Name, $"CASE WHEN {raw} IS NOT NULL AND {value} IS NULL THEN {asJson} END"));
        }

        var entries = $"list_filter([{string.Join(", ", rescued)}], entry -> entry.v IS NOT NULL)";
        values.Add(
            $"CASE WHEN len({entries}) > 0 THEN CAST(CAST(map_from_entries({entries} || [{Entry("_file_path", $"to_json(raw.{FileColumn})")}]) AS JSON) AS VARCHAR) END "
            + $"AS {SqlText.Identifier(BronzeSchema.RescuedData)}");
        values.Add(sourceFile);
        // DuckDB's CSV and JSON readers number no rows, and numbering them here with row_number() OVER () made DuckDB
        // run the whole load on one core (1 GB of CSV: 24 s against 15 s). The load positions them afterwards instead
        // (LandingLoader), from the order DuckDB appended them in.
        values.Add($"CAST(NULL AS BIGINT) AS {PositionColumn}");
        return $"SELECT {string.Join(", ", values)} FROM {Reader(format, reading, paths, incoming)} raw";
    }

    /// <summary>
    /// SQL of a file's path inside the lake, with forward slashes, from the SQL of its full path (<paramref name="fullPath"/>);
    /// the full path for a file outside it. What <see cref="LandingFiles.LakePath"/> computes in .NET.
    /// </summary>
    public static string LakePathOf(string fullPath, string lakePath)
    {
        var prefix = SqlText.Literal(lakePath.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar);
        return $"CASE WHEN starts_with({fullPath}, {prefix}) THEN replace(substr({fullPath}, length({prefix}) + 1), '\\', '/') ELSE {fullPath} END";
    }

    /// <summary>
    /// The reader of one file as the load reads it, for checking that DuckDB can parse it at all: a CSV's malformed
    /// lines are set aside as the load sets them aside, so only a file that cannot be read even so fails.
    /// </summary>
    public static string Probe(LandingFormat format, FileReading reading, string path) => format switch
    {
        // Parquet's footer and schema: its pages are read by the load itself.
        LandingFormat.Parquet => $"SELECT count(*) FROM read_parquet({LandingLoader.ListLiteral([path])})",
        LandingFormat.Csv => $"SELECT count(*) FROM {Reader(format, reading, [path], [])}",
        _ => $"SELECT count(*) FROM read_ndjson_objects({LandingLoader.ListLiteral([path])})",
    };

    /// <summary>
    /// A CSV file's columns as the load reads them: every column as text, with the source's dialect. Files of one
    /// load are read together only when their columns are the same, in the same order (DuckDB's reader keeps malformed
    /// lines aside only without union_by_name).
    /// </summary>
    public static string Describe(LandingFormat format, FileReading reading, IReadOnlyList<string> paths) =>
        format == LandingFormat.Csv
            ? $"SELECT * EXCLUDE ({FileColumn}) FROM {Reader(format, reading, paths, [], typed: true)}"
            : $"SELECT * FROM {LandingLoader.FileReader(format, paths)}";

    /// <summary>The value as bronze's type, or NULL when it does not fit: rounding an integer or decimal does not count as fitting.</summary>
    private static string Cast(string raw, string type, bool json, CsvOptions csv)
    {
        if (!json && string.Equals(type, "DATE", StringComparison.OrdinalIgnoreCase) && csv.DateFormat is { } dateFormat)
        {
            return $"CAST(try_strptime({raw}, {SqlText.Literal(dateFormat)}) AS DATE)";
        }

        if (!json && type.StartsWith("TIMESTAMP", StringComparison.OrdinalIgnoreCase) && csv.TimestampFormat is { } timestampFormat)
        {
            return $"CAST(try_strptime({raw}, {SqlText.Literal(timestampFormat)}) AS {type})";
        }

        if (string.Equals(type, "VARCHAR", StringComparison.OrdinalIgnoreCase))
        {
            // A JSON string's text without its quotes; a number or an object as its JSON text.
            return json ? $"({raw} ->> '$')" : raw;
        }

        if (json && string.Equals(type, "JSON", StringComparison.OrdinalIgnoreCase))
        {
            return raw;
        }

        var cast = $"TRY_CAST({raw} AS {type})";
        return BronzeSchema.IsExactNumber(type)
            ? $"CASE WHEN {cast} = TRY_CAST({raw} AS DOUBLE) THEN {cast} END"
            : cast;
    }

    /// <summary>
    /// DuckDB's <c>file_index</c>, the cheap way; when a source column is itself named <c>file_index</c> it hides
    /// DuckDB's, and the file's name is found in the list instead.
    /// </summary>
    private static string FileIndex(IReadOnlyList<string> paths, IReadOnlyList<ColumnInfo> incoming) =>
        incoming.Any(column => column.Name.Equals("file_index", StringComparison.OrdinalIgnoreCase))
            ? $"(list_position({LandingLoader.ListLiteral(paths)}, raw.{FileColumn}) - 1)"
            : "raw.file_index";

    private static string Entry(string key, string value) => $"{{'k': {SqlText.Literal(key)}, 'v': {value}}}";

    /// <param name="typed">
    /// True to let DuckDB guess each column's type (with the source's date formats), for describing new files; false
    /// to read every value as text, for the load, which casts each to bronze's type.
    /// </param>
    private static string Reader(LandingFormat format, FileReading reading, IReadOnlyList<string> paths, IReadOnlyList<ColumnInfo> incoming, bool typed = false)
    {
        const string options = $"hive_partitioning = false, filename = '{FileColumn}'";
        if (format == LandingFormat.Csv)
        {
            var csv = reading.Csv;
            var dialect = $"delim = {SqlText.Literal(csv.Delimiter)}, quote = {SqlText.Literal(csv.Quote)}, escape = {SqlText.Literal(csv.Escape)}, "
                + $"header = {(csv.Header ? "true" : "false")}, encoding = {SqlText.Literal(csv.Encoding)}, compression = {SqlText.Literal(csv.Compression)}, "
                + $"max_line_size = {csv.MaxLineSize}, strict_mode = true";
            var formats = !typed ? ", all_varchar = true"
                : (csv.DateFormat is { } date ? $", dateformat = {SqlText.Literal(date)}" : "")
                  + (csv.TimestampFormat is { } timestamp ? $", timestampformat = {SqlText.Literal(timestamp)}" : "");
            return $"read_csv({LandingLoader.ListLiteral(paths)}, {options}, {dialect}{formats}, "
                + $"store_rejects = true, rejects_table = '{RejectErrors}', rejects_scan = '{RejectScans}')";
        }

        // Every key as its JSON: a string keeps its quotes, so that text, numbers and objects are told apart.
        var columns = string.Join(", ", incoming.Select(column => $"{SqlText.Literal(column.Name)}: 'JSON'"));
        return $"read_json({LandingLoader.ListLiteral(paths)}, {options}, format = 'newline_delimited', columns = {{{columns}}})";
    }
}
