namespace Alquimia.Projects;

/// <summary>
/// How a files table's landing files are found and read: where they sit, the CSV reader's options, whether each new
/// file adds rows or is a whole new version of the table, and what an empty or malformed delivery does
/// (docs/projects.md, "Files: where they land and how they are read"). A source's keys apply to each of its tables; a
/// table's own keys win.
/// </summary>
public sealed record FileReading
{
    /// <summary>
    /// A glob of the table's files, relative to the lake (or absolute): <c>exports/chamados/*.csv</c>, where <c>**</c>
    /// crosses folders. Null reads every file of the format under <c>&lt;lake&gt;/landing/&lt;source&gt;/&lt;table&gt;/</c>.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>What each new file is: more rows (the default), or the whole table as of that file.</summary>
    public FileTableMode Mode { get; init; } = FileTableMode.Append;

    /// <summary>
    /// True when a table with no file yet is normal (a feed that has not started); by default a run whose table has
    /// never received a file fails, naming the place it looked, as a wrong path would otherwise load 0 rows in silence.
    /// </summary>
    public bool AllowEmpty { get; init; }

    /// <summary>What a run does when a file has malformed rows that went to <c>_alquimia.rejected_rows</c>: warn (the default) or fail.</summary>
    public RejectedRowsAction OnRejectedRows { get; init; } = RejectedRowsAction.Warn;

    /// <summary>The CSV reader's options; ignored for Parquet and JSON.</summary>
    public CsvOptions Csv { get; init; } = new();
}

/// <summary>What a new landing file of a files table is.</summary>
public enum FileTableMode
{
    /// <summary>More rows: each file's rows are appended to bronze.</summary>
    Append,

    /// <summary>
    /// A full export: the newest file is the whole table, and bronze holds its rows alone (seed 003's daily full
    /// refresh). A daily export that overwrites <c>part-0.csv</c> replaces the table instead of appending it again.
    /// </summary>
    Snapshot,
}

/// <summary>What a run does with a file's malformed rows.</summary>
public enum RejectedRowsAction
{
    /// <summary>The file's good rows load; the step is marked warning, counting the rejected rows.</summary>
    Warn,

    /// <summary>The step fails, naming the file and the first bad line; nothing of the batch loads.</summary>
    Fail,
}

/// <summary>
/// The CSV reader's options (DuckDB's read_csv), each given explicitly so that DuckDB's sniffer never guesses the
/// dialect from a file's first lines: one ragged row once made a whole file read as one column.
/// </summary>
public sealed record CsvOptions
{
    /// <summary>The largest line, 16 MB unless a source says otherwise: a wider line fails its file, naming the option.</summary>
    public const long DefaultMaxLineSize = 16L * 1024 * 1024;

    public string Delimiter { get; init; } = ",";

    public string Quote { get; init; } = "\"";

    public string Escape { get; init; } = "\"";

    public bool Header { get; init; } = true;

    /// <summary>utf-8 (the default), utf-16 or latin-1: the encodings DuckDB's reader knows.</summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>auto (from the file's extension: .gz, .zst), gzip, zstd or none.</summary>
    public string Compression { get; init; } = "auto";

    /// <summary>A strftime format for DATE columns (<c>%d/%m/%Y</c>); null accepts ISO dates.</summary>
    public string? DateFormat { get; init; }

    /// <summary>A strftime format for TIMESTAMP columns; null accepts ISO timestamps.</summary>
    public string? TimestampFormat { get; init; }

    public long MaxLineSize { get; init; } = DefaultMaxLineSize;

    /// <summary>
    /// True (the default) to reject a file whose last line has no line ending: what a copy or a writer cut off leaves
    /// (a timestamp cut to its date once loaded as midnight). A whole file missing only its last newline then needs one.
    /// </summary>
    public bool RequireFinalNewline { get; init; } = true;
}
