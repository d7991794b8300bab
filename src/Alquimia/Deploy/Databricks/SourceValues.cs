using System.Text;
using Alquimia.Projects;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// How a source table's landing files are read on Databricks, as Alquimia reads them (Ingestion/Landing): the reader's
/// options, each column's value in its bronze type, and the rescued values of CSV and JSON.
/// </summary>
internal static class SourceValues
{
    private static readonly Dictionary<string, string> Encodings = new(StringComparer.Ordinal)
    {
        ["utf-8"] = "UTF-8", ["utf-16"] = "UTF-16", ["latin-1"] = "ISO-8859-1",
    };

    /// <summary>
    /// The COPY INTO's FORMAT_OPTIONS. Files are united by column name (mergeSchema), as Alquimia's readers do; CSV and
    /// JSON values are read as text and cast by the select list; a malformed line is dropped (Alquimia sets it aside
    /// with a warning) or fails the load under <c>on_rejected_rows: fail</c>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> FormatOptions(SourceDefinition source, SourceTable table)
    {
        var options = new List<KeyValuePair<string, string>> { new("mergeSchema", "true") };
        if (source.Format == LandingFormat.Parquet)
        {
            return options;
        }

        var malformed = table.Files.OnRejectedRows == RejectedRowsAction.Fail ? "FAILFAST" : "DROPMALFORMED";
        if (source.Format == LandingFormat.Json)
        {
            options.Add(new("primitivesAsString", "true"));
            options.Add(new("mode", malformed));
            return options;
        }

        var csv = table.Files.Csv;
        options.AddRange(
        [
            new("header", "true"), new("inferSchema", "false"), new("sep", csv.Delimiter), new("quote", csv.Quote), new("escape", csv.Escape),
            new("encoding", Encodings[csv.Encoding]), new("mode", malformed),
        ]);
        return options;
    }

    /// <summary>A column's value in its bronze type: Parquet's cast as it is, text cast with try_cast (NULL when it does not fit).</summary>
    public static string Value(BronzeColumn column, bool typed, CsvOptions csv, LandingFormat format)
    {
        var raw = SparkSqlPrinter.Identifier(column.Name);
        if (typed)
        {
            return $"CAST({raw} AS {column.SparkType})";
        }

        if (column.SparkType == "STRING")
        {
            return raw;
        }

        // The CSV dates' formats, as Alquimia's reader applies them (JSON's dates are ISO).
        var pattern = format != LandingFormat.Csv ? null
            : column.SparkType == "DATE" ? csv.DateFormat
            : column.SparkType.StartsWith("TIMESTAMP", StringComparison.Ordinal) ? csv.TimestampFormat
            : null;
        return pattern is null
            ? $"try_cast({raw} AS {column.SparkType})"
            : $"CAST(try_to_timestamp({raw}, {SparkSqlPrinter.StringLiteral(DatetimePattern(pattern))}) AS {column.SparkType})";
    }

    /// <summary>
    /// <c>_rescued_data</c>: the values that did not fit their column, as a JSON object with the file's path under
    /// <c>_file_path</c>, as Alquimia's bronze keeps them; NULL for a row whose values all fit.
    /// </summary>
    public static string Rescued(IReadOnlyList<BronzeColumn> columns, CsvOptions csv, LandingFormat format)
    {
        var checkedColumns = columns.Where(column => column.SparkType != "STRING").ToList();
        if (checkedColumns.Count == 0)
        {
            return "CAST(NULL AS STRING)";
        }

        var misfits = checkedColumns.Select(column =>
            (Column: column, Condition: $"{SparkSqlPrinter.Identifier(column.Name)} IS NOT NULL AND {Value(column, typed: false, csv, format)} IS NULL")).ToList();
        var entries = misfits.Select(misfit =>
            $"{SparkSqlPrinter.StringLiteral(misfit.Column.Name)}, CASE WHEN {misfit.Condition} THEN {SparkSqlPrinter.Identifier(misfit.Column.Name)} END");
        return $"CASE WHEN {string.Join(" OR ", misfits.Select(misfit => $"({misfit.Condition})"))} "
            + $"THEN to_json(map_filter(map({string.Join(", ", entries)}, '_file_path', _metadata.file_path), (k, v) -> v IS NOT NULL)) END";
    }

    /// <summary>
    /// A strftime format of the source file (<c>%d/%m/%Y</c>) as Spark's datetime pattern (<c>dd/MM/yyyy</c>): letters
    /// are quoted, each directive mapped.
    /// </summary>
    /// <exception cref="ArgumentException">A directive Spark's patterns have no equivalent for.</exception>
    public static string DatetimePattern(string strftime)
    {
        var pattern = new StringBuilder();
        var literal = new StringBuilder();
        for (var i = 0; i < strftime.Length; i++)
        {
            var character = strftime[i];
            if (char.IsAsciiLetter(character) || character == '\'')
            {
                // Spark reads letters as pattern letters: a run of literal ones is quoted as one, a quote in it doubled.
                literal.Append(character == '\'' ? "''" : character);
                continue;
            }

            Flush(pattern, literal);
            if (character == '%' && i + 1 < strftime.Length)
            {
                pattern.Append(strftime[++i] switch
                {
                    'Y' => "yyyy",
                    'y' => "yy",
                    'm' => "MM",
                    'd' => "dd",
                    'H' => "HH",
                    'I' => "hh",
                    'M' => "mm",
                    'S' => "ss",
                    'f' => "SSSSSS",
                    'p' => "a",
                    'b' => "MMM",
                    'B' => "MMMM",
                    'j' => "DDD",
                    '%' => "%",
                    var other => throw new ArgumentException($"%{other} has no Spark datetime pattern", nameof(strftime)),
                });
            }
            else
            {
                pattern.Append(character);
            }
        }

        Flush(pattern, literal);
        return pattern.ToString();
    }

    private static void Flush(StringBuilder pattern, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            pattern.Append('\'').Append(literal).Append('\'');
            literal.Clear();
        }
    }
}
