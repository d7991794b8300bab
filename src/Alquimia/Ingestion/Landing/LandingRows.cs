using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// The SELECT that reads a batch of landing files into bronze's columns, in file order and, within a file, in row
/// order. Parquet columns are taken as they are. CSV and JSON are read once, every value as text (CSV) or as its JSON (JSON), and each cast with
/// TRY_CAST to its bronze type: a value that does not fit, and under <c>schema_evolution: ignore</c> every value of a
/// column bronze does not have, goes into <see cref="BronzeSchema.RescuedData"/> as
/// <c>{"valor": "abc", "_file_path": "…"}</c>, as Databricks Auto Loader does, instead of failing the batch.
/// </summary>
internal static class LandingRows
{
    /// <summary>The readers' file-name column, named so that no source column (a CSV's <c>filename</c>) meets it.</summary>
    private const string FileColumn = "__alquimia_file";

    /// <summary>The SELECT of the files' rows, with the columns named as in bronze.</summary>
    /// <param name="format">The files' format.</param>
    /// <param name="paths">The files, in load order.</param>
    /// <param name="incoming">The files' columns and their guessed types (for CSV and JSON only the names matter).</param>
    /// <param name="bronze">Bronze's columns after evolution, by name.</param>
    public static string Select(LandingFormat format, IReadOnlyList<string> paths, IReadOnlyList<ColumnInfo> incoming, IReadOnlyDictionary<string, string> bronze)
    {
        if (!BronzeSchema.TypesInferred(format))
        {
            var taken = incoming.Where(column => bronze.ContainsKey(column.Name)).Select(column => "raw." + SqlText.Identifier(column.Name));
            return $"SELECT {string.Join(", ", taken)} "
                + $"FROM read_parquet({LandingLoader.ListLiteral(paths)}, union_by_name = true, hive_partitioning = false, filename = '{FileColumn}') raw";
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

            var value = Cast(raw, type, json);
            values.Add($"{value} AS {SqlText.Identifier(column.Name)}");
            rescued.Add(Entry(column.Name, $"CASE WHEN {raw} IS NOT NULL AND {value} IS NULL THEN {asJson} END"));
        }

        var entries = $"list_filter([{string.Join(", ", rescued)}], entry -> entry.v IS NOT NULL)";
        values.Add(
            $"CASE WHEN len({entries}) > 0 THEN CAST(CAST(map_from_entries({entries} || [{Entry("_file_path", $"to_json(raw.{FileColumn})")}]) AS JSON) AS VARCHAR) END "
            + $"AS {SqlText.Identifier(BronzeSchema.RescuedData)}");
        return $"SELECT {string.Join(", ", values)} FROM {Reader(format, paths, incoming)} raw";
    }

    /// <summary>The reader of one file as the load reads it, for checking that DuckDB can parse it at all.</summary>
    public static string Probe(LandingFormat format, string path) => format switch
    {
        // Parquet's footer and schema: its pages are read by the load itself.
        LandingFormat.Parquet => $"SELECT count(*) FROM read_parquet({LandingLoader.ListLiteral([path])})",
        LandingFormat.Csv => $"SELECT count(*) FROM {Reader(format, [path], [])}",
        _ => $"SELECT count(*) FROM read_ndjson_objects({LandingLoader.ListLiteral([path])})",
    };

    /// <summary>The value as bronze's type, or NULL when it does not fit: rounding an integer or decimal does not count as fitting.</summary>
    private static string Cast(string raw, string type, bool json)
    {
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

    private static string Entry(string key, string value) => $"{{'k': {SqlText.Literal(key)}, 'v': {value}}}";

    private static string Reader(LandingFormat format, IReadOnlyList<string> paths, IReadOnlyList<ColumnInfo> incoming)
    {
        const string options = $"hive_partitioning = false, filename = '{FileColumn}'";
        if (format == LandingFormat.Csv)
        {
            return $"read_csv({LandingLoader.ListLiteral(paths)}, union_by_name = true, {options}, header = true, all_varchar = true)";
        }

        // Every key as its JSON: a string keeps its quotes, so that text, numbers and objects are told apart.
        var columns = string.Join(", ", incoming.Select(column => $"{SqlText.Literal(column.Name)}: 'JSON'"));
        return $"read_json({LandingLoader.ListLiteral(paths)}, {options}, format = 'newline_delimited', columns = {{{columns}}})";
    }
}
