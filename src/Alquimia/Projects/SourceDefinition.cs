namespace Alquimia.Projects;

/// <summary>
/// A source from <c>sources/*.yml</c>: tables whose raw files land in
/// <c>&lt;lake&gt;/landing/&lt;source&gt;/&lt;table&gt;/</c> and are appended to <c>bronze.&lt;table&gt;</c>.
/// </summary>
/// <param name="Name">The source's name, which is also its landing folder.</param>
/// <param name="FilePath">The YAML file that defines it, absolute.</param>
/// <param name="Format">The landing files' format.</param>
/// <param name="Tables">The tables, in the order written.</param>
public sealed record SourceDefinition(string Name, string FilePath, LandingFormat Format, IReadOnlyList<SourceTable> Tables)
{
    /// <summary>What the source is, for the docs.</summary>
    public string? Description { get; init; }
}

/// <summary>One table of a source.</summary>
/// <param name="Name">The table's name in the source; the bronze table has the same name.</param>
/// <param name="Line">The line in the source file where the table is declared (1-based).</param>
public sealed record SourceTable(string Name, int Line)
{
    /// <summary>The bronze table this source table is appended to.</summary>
    public QualifiedName BronzeName => new("bronze", Name);

    /// <summary>What the table holds.</summary>
    public string? Description { get; init; }

    /// <summary>The columns identifying a row in the source (informational until CDC).</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>
    /// The declared columns, in order. When present, <c>alquimia setup</c> can create the bronze table before any
    /// file has landed; landing files are read with these types.
    /// </summary>
    public IReadOnlyList<SourceColumn> Columns { get; init; } = [];
}

/// <summary>A declared source column: name, DuckDB type and description.</summary>
public sealed record SourceColumn(string Name, string Type, string? Description);

/// <summary>The format of a source's landing files.</summary>
public enum LandingFormat
{
    /// <summary>Apache Parquet (<c>*.parquet</c>).</summary>
    Parquet,

    /// <summary>Comma-separated values with a header line (<c>*.csv</c>).</summary>
    Csv,

    /// <summary>Newline-delimited JSON (<c>*.json</c>, <c>*.jsonl</c>, <c>*.ndjson</c>).</summary>
    Json,
}
