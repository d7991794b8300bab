namespace Alquimia.Projects.Loading;

/// <summary>Reads the keys of a files source, or of one of its tables, that say how its landing files are found and read.</summary>
internal static class FileReadingReader
{
    /// <summary>The keys a files source may set for all its tables.</summary>
    public static readonly string[] SourceKeys = ["csv", "allow_empty", "on_rejected_rows"];

    /// <summary>The keys a table of a files source may set for itself.</summary>
    public static readonly string[] TableKeys = ["path", "mode", "csv", "allow_empty", "on_rejected_rows"];

    private static readonly string[] CsvKeys =
        ["delimiter", "quote", "escape", "header", "encoding", "compression", "date_format", "timestamp_format", "max_line_size", "require_final_newline"];

    private static readonly IReadOnlyDictionary<string, FileTableMode> Modes = new Dictionary<string, FileTableMode>
    {
        ["append"] = FileTableMode.Append,
        ["snapshot"] = FileTableMode.Snapshot,
    };

    private static readonly IReadOnlyDictionary<string, RejectedRowsAction> RejectedRowsActions = new Dictionary<string, RejectedRowsAction>
    {
        ["warn"] = RejectedRowsAction.Warn,
        ["fail"] = RejectedRowsAction.Fail,
    };

    private static readonly string[] Encodings = ["utf-8", "utf-16", "latin-1"];
    private static readonly string[] Compressions = ["auto", "gzip", "zstd", "none"];

    /// <summary><paramref name="inherited"/> with what <paramref name="yaml"/> sets (a source's keys, or a table's over its source's).</summary>
    public static FileReading Read(YamlSection yaml, FileReading inherited, bool table)
    {
        var reading = inherited with
        {
            AllowEmpty = yaml.Bool("allow_empty") ?? inherited.AllowEmpty,
            OnRejectedRows = yaml.Choice("on_rejected_rows", RejectedRowsActions) ?? inherited.OnRejectedRows,
        };
        if (table)
        {
            reading = reading with { Path = ReadPath(yaml), Mode = yaml.Choice("mode", Modes) ?? FileTableMode.Append };
        }

        if (yaml.Mapping("csv", $"'csv' of {yaml.Description}") is { } csv)
        {
            csv.CheckKeys(CsvKeys);
            reading = reading with { Csv = ReadCsv(csv, reading.Csv) };
        }

        return reading;
    }

    private static string? ReadPath(YamlSection yaml)
    {
        var path = yaml.String("path");
        if (path is not null && (path.Contains("..", StringComparison.Ordinal) || path.EndsWith('/')))
        {
            yaml.Problem(
                yaml.LineOfKey("path"),
                $"'path: {path}' of {yaml.Description} should be a glob of files inside the lake, such as exports/chamados/*.csv or exports/chamados/**/*.csv.gz, "
                + "with no '..' and not ending in '/'.");
            return null;
        }

        return path;
    }

    private static CsvOptions ReadCsv(YamlSection csv, CsvOptions inherited) => inherited with
    {
        Delimiter = OneCharacter(csv, "delimiter") ?? inherited.Delimiter,
        Quote = OneCharacter(csv, "quote") ?? inherited.Quote,
        Escape = OneCharacter(csv, "escape") ?? inherited.Escape,
        Header = csv.Bool("header") ?? inherited.Header,
        Encoding = csv.ChoiceOf("encoding", Encodings) ?? inherited.Encoding,
        Compression = csv.ChoiceOf("compression", Compressions) ?? inherited.Compression,
        DateFormat = csv.String("date_format") ?? inherited.DateFormat,
        TimestampFormat = csv.String("timestamp_format") ?? inherited.TimestampFormat,
        MaxLineSize = csv.Int("max_line_size", minimum: 1024) ?? inherited.MaxLineSize,
        RequireFinalNewline = csv.Bool("require_final_newline") ?? inherited.RequireFinalNewline,
    };

    private static string? OneCharacter(YamlSection csv, string key)
    {
        var text = csv.String(key);
        if (text is null || text.Length == 1 || text == "\\t")
        {
            return text == "\\t" ? "\t" : text;
        }

        csv.Problem(csv.LineOfKey(key), $"'{key}' in {csv.Description} should be one character (\\t for a tab), not '{text}'.");
        return null;
    }
}
