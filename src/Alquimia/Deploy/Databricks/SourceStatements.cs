using Alquimia.Ingestion.Landing;
using Alquimia.Projects;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// The statements of a source table's task on Databricks: its bronze table created with the source file's columns and
/// the ingestion metadata Alquimia's bronze adds, then the table's new landing files appended by <c>COPY INTO</c>,
/// which loads each file once (a retried task loads nothing twice), as Alquimia's append-only bronze does.
/// </summary>
/// <remarks>
/// The files are read from the job parameter <c>landing_path</c>, laid out as Alquimia's landing is:
/// <c>&lt;landing_path&gt;/&lt;source&gt;/&lt;table&gt;/</c>. COPY INTO takes its path as a literal only, and a SQL
/// file is not templated by the bundle, so the COPY INTO is composed in a session variable from the parameter and run
/// by <c>EXECUTE IMMEDIATE</c>. A database source (postgres, and any connector that extracts) is read the same way:
/// on Databricks its landing files come from whatever lands them there (docs/databricks.md, "Sources").
/// </remarks>
public static class SourceStatements
{
    /// <summary>The session variable the COPY INTO statement is composed in.</summary>
    public const string CopyVariable = "alquimia_copy_into";

    /// <summary>The statements of <paramref name="table"/>'s task, in order.</summary>
    /// <exception cref="UnportableSourceException">The table or its source's options have no Databricks form yet.</exception>
    public static IReadOnlyList<string> Of(SourceDefinition source, SourceTable table, SparkSqlPrinter printer)
    {
        var columns = Columns(source, table, printer);
        var bronze = ModelStatements.TableName(table.BronzeName);
        var copy = CopyInto(source, table, columns, LandingPathMarker, BatchMarker);
        return
        [
            ModelStatements.UseCatalog,
            CreateTable(source, table, columns, bronze),
            $"DECLARE OR REPLACE VARIABLE {CopyVariable} STRING",
            $"SET VAR {CopyVariable} = {Composed(copy)}",
            $"EXECUTE IMMEDIATE {CopyVariable}",
        ];
    }

    /// <summary>
    /// The COPY INTO that the task runs, with <paramref name="landingPath"/> and <paramref name="batchId"/> in place of the
    /// job's values: for tests and for reading. <see cref="Of"/> composes the same text at run time.
    /// </summary>
    public static string CopyInto(SourceDefinition source, SourceTable table, SparkSqlPrinter printer, string landingPath, string batchId) =>
        CopyInto(source, table, Columns(source, table, printer), landingPath, batchId);

    /// <summary>Where the task reads the table's files from, for what the deploy prints: <c>${var.landing_path}/crm/verification</c>.</summary>
    public static string Folder(SourceDefinition source, SourceTable table) => $"${{var.landing_path}}/{source.Name}/{table.Name}";

    // Stand-ins for the job's values inside the COPY INTO's text, replaced by Composed with the parameters' values.
    private const string LandingPathMarker = "\u0001landing_path\u0001";
    private const string BatchMarker = "\u0001batch\u0001";

    private static string CreateTable(SourceDefinition source, SourceTable table, IReadOnlyList<BronzeColumn> columns, string bronze)
    {
        var definitions = columns.Select(column => $"  {SparkSqlPrinter.Identifier(column.Name)} {column.SparkType}"
            + (column.Description is { } description ? $" COMMENT {SparkSqlPrinter.StringLiteral(description)}" : ""));
        var metadata = Metadata(source).Select(column => $"  {SparkSqlPrinter.Identifier(column.Name)} {column.SparkType}");
        var comment = table.Description is { } text ? $"\nCOMMENT {SparkSqlPrinter.StringLiteral(text)}" : "";
        return $"CREATE TABLE IF NOT EXISTS {bronze} (\n{string.Join(",\n", definitions.Concat(metadata))}\n)\nUSING DELTA{comment}";
    }

    /// <summary>
    /// The COPY INTO with its select list: each declared column cast to its type, then the metadata. Parquet's values are
    /// typed and cast as they are; CSV's and JSON's are read as text and cast with try_cast, and a value that does not
    /// fit goes to <c>_rescued_data</c> with its file, as Alquimia's bronze keeps it.
    /// </summary>
    private static string CopyInto(SourceDefinition source, SourceTable table, IReadOnlyList<BronzeColumn> columns, string landingPath, string batchId)
    {
        var reading = table.Files;
        var typed = source.Format == LandingFormat.Parquet;
        var values = columns.Select(column => $"{SourceValues.Value(column, typed, reading.Csv, source.Format)} AS {SparkSqlPrinter.Identifier(column.Name)}").ToList();
        if (!typed)
        {
            values.Add($"{SourceValues.Rescued(columns, reading.Csv, source.Format)} AS {BronzeSchema.RescuedData}");
        }

        // The load's time in UTC (Databricks' session zone unless a workspace sets another), the same for every row of
        // one COPY INTO: later loads always stamp later, which is what a watermark on it needs.
        values.Add($"CAST(current_timestamp() AS TIMESTAMP_NTZ) AS {LandingLoader.IngestionTimestamp}");
        values.Add($"{SparkSqlPrinter.StringLiteral(batchId + "-" + table.Name)} AS _batch_id");
        values.Add($"{SparkSqlPrinter.StringLiteral(source.Name)} AS _source");
        values.Add($"_metadata.file_path AS {LandingRows.SourceFileColumn}");
        var options = SourceValues.FormatOptions(source, table);
        return $"COPY INTO {ModelStatements.TableName(table.BronzeName)}\nFROM (\n  SELECT {string.Join(",\n         ", values)}\n"
            + $"  FROM {SparkSqlPrinter.StringLiteral($"{landingPath}/{source.Name}/{table.Name}")}\n)\n"
            + $"FILEFORMAT = {source.Format.ToString().ToUpperInvariant()}\n"
            + (options.Count > 0 ? $"FORMAT_OPTIONS ({string.Join(", ", options.Select(option => $"{SparkSqlPrinter.StringLiteral(option.Key)} = {SparkSqlPrinter.StringLiteral(option.Value)}"))})\n" : "")
            // Bronze keeps its declared columns: a file's new column is not added (docs/databricks.md, "Sources").
            + "COPY_OPTIONS ('mergeSchema' = 'false')";
    }

    /// <summary>
    /// The COPY INTO's text as a Spark string expression that puts the job's <c>landing_path</c> (without a trailing
    /// slash) and <c>run_id</c> in place of the markers, each escaped for the string literal it lands in.
    /// </summary>
    private static string Composed(string copy)
    {
        var parts = new List<string>();
        var rest = copy;
        while (rest.Length > 0)
        {
            var landing = rest.IndexOf(LandingPathMarker, StringComparison.Ordinal);
            var batch = rest.IndexOf(BatchMarker, StringComparison.Ordinal);
            var next = new[] { landing, batch }.Where(index => index >= 0).DefaultIfEmpty(-1).Min();
            if (next < 0)
            {
                parts.Add(SparkSqlPrinter.StringLiteral(rest));
                break;
            }

            if (next > 0)
            {
                parts.Add(SparkSqlPrinter.StringLiteral(rest[..next]));
            }

            var isLanding = next == landing;
            parts.Add(Escaped(isLanding ? "regexp_replace(:landing_path, '/+$', '')" : ":run_id"));
            rest = rest[(next + (isLanding ? LandingPathMarker : BatchMarker).Length)..];
        }

        return $"concat(\n  {string.Join(",\n  ", parts)}\n)";
    }

    /// <summary>A runtime string, escaped to sit inside a Spark string literal of the composed statement.</summary>
    private static string Escaped(string value) =>
        $"replace(replace(CAST({value} AS STRING), {SparkSqlPrinter.StringLiteral("\\")}, {SparkSqlPrinter.StringLiteral("\\\\")}), "
        + $"{SparkSqlPrinter.StringLiteral("'")}, {SparkSqlPrinter.StringLiteral("\\'")})";

    /// <summary>Bronze's own columns after the source's: <c>_rescued_data</c> for CSV and JSON, then Alquimia's metadata.</summary>
    private static IEnumerable<(string Name, string SparkType)> Metadata(SourceDefinition source)
    {
        if (BronzeSchema.TypesInferred(source.Format))
        {
            yield return (BronzeSchema.RescuedData, "STRING");
        }

        yield return (LandingLoader.IngestionTimestamp, "TIMESTAMP_NTZ");
        yield return ("_batch_id", "STRING");
        yield return ("_source", "STRING");
        yield return (LandingRows.SourceFileColumn, "STRING");
    }

    /// <summary>The declared columns with their Spark types; what Databricks cannot load as Alquimia does is refused here.</summary>
    private static List<BronzeColumn> Columns(SourceDefinition source, SourceTable table, SparkSqlPrinter printer)
    {
        var file = Path.GetFileName(source.FilePath);
        if (table.Columns.Count == 0)
        {
            throw new UnportableSourceException(source.Name, table.Name, "declares no columns",
                $"declare them in sources/{file} (columns: - {{name: …, type: …}}): bronze on Databricks is created with them before any file lands");
        }

        if (table.Files.Path is { } glob)
        {
            throw new UnportableSourceException(source.Name, table.Name, $"reads its files from 'path: {glob}'",
                $"land its files under the default folder, <landing_path>/{source.Name}/{table.Name}/, and remove 'path' from sources/{file}: the deploy reads the default layout only");
        }

        if (table.Files.Mode == FileTableMode.Snapshot)
        {
            throw new UnportableSourceException(source.Name, table.Name, "is 'mode: snapshot' (each file the whole table)",
                $"deliver the table as appended files (mode: append) or leave it out of the deployed jobs: the deploy does not write full-export tables yet");
        }

        if (source.Format == LandingFormat.Csv && !table.Files.Csv.Header)
        {
            throw new UnportableSourceException(source.Name, table.Name, "has CSV files without a header line (header: false)",
                "give the files a header line: COPY INTO matches the declared columns by name");
        }

        if (source.Format == LandingFormat.Csv && new[] { table.Files.Csv.DateFormat, table.Files.Csv.TimestampFormat }.OfType<string>().FirstOrDefault(Unmapped) is { } format)
        {
            throw new UnportableSourceException(source.Name, table.Name, $"reads dates as '{format}', a format with a directive Spark's datetime patterns lack",
                $"write date_format and timestamp_format in sources/{file} with %Y %y %m %d %H %I %M %S %f %p %b %B %j only");
        }

        var reserved = Metadata(source).Select(column => column.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. table.Columns.Select(column => reserved.Contains(column.Name)
            ? throw new UnportableSourceException(source.Name, table.Name, $"has a column named {column.Name}, which bronze gives its own column",
                $"rename it at the source, e.g. {column.Name.TrimStart('_')}_origem")
            : new BronzeColumn(column.Name, column.Type, SparkType(source, table, column, printer), column.Description))];
    }

    private static bool Unmapped(string strftime)
    {
        try
        {
            SourceValues.DatetimePattern(strftime);
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>A declared DuckDB type in Spark's words, as the printer casts to it (VARCHAR as STRING, TIMESTAMP as TIMESTAMP_NTZ).</summary>
    private static string SparkType(SourceDefinition source, SourceTable table, SourceColumn column, SparkSqlPrinter printer)
    {
        const string Prefix = "SELECT CAST(NULL AS ";
        try
        {
            var printed = printer.Print($"{Prefix}{column.Type}) AS c", $"{source.Name}.{table.Name}");
            return printed[Prefix.Length..printed.LastIndexOf(") AS c", StringComparison.Ordinal)];
        }
        catch (UnportableSqlException)
        {
            throw new UnportableSourceException(source.Name, table.Name, $"has column {column.Name} of type {column.Type}, which Spark has no type for",
                "declare it as a type both engines have: BIGINT, INTEGER, DECIMAL(p,s), DOUBLE, BOOLEAN, DATE, TIMESTAMP or VARCHAR");
        }
    }
}

/// <summary>A declared column of a source table: its name, DuckDB type, Spark type and description.</summary>
internal sealed record BronzeColumn(string Name, string DuckDbType, string SparkType, string? Description);

/// <summary>A source table that the deploy cannot load into bronze on Databricks as Alquimia does: the source, the table, what and the fix.</summary>
public sealed class UnportableSourceException(string source, string table, string what, string fix)
    : AlquimiaException($"Source '{source}', table {table}: it {what}, which alquimia deploy databricks cannot load into bronze on Databricks. Fix: {fix}.")
{
    public string SourceName { get; } = source;

    public string Table { get; } = table;
}
