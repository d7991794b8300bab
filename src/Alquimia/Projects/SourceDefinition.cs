namespace Alquimia.Projects;

/// <summary>
/// A source from <c>sources/*.yml</c>: tables whose raw files land in
/// <c>&lt;lake&gt;/landing/&lt;source&gt;/&lt;table&gt;/</c> and are appended to <c>bronze.&lt;table&gt;</c>. The files are
/// dropped there by someone else (a <c>files</c> source), or extracted by Alquimia from a database: its connector,
/// which <see cref="Type"/> names, says which.
/// </summary>
/// <param name="Name">The source's name, which is also its landing folder.</param>
/// <param name="FilePath">The YAML file that defines it, absolute.</param>
/// <param name="Format">The landing files' format.</param>
/// <param name="Tables">The tables, in the order written.</param>
public sealed record SourceDefinition(string Name, string FilePath, LandingFormat Format, IReadOnlyList<SourceTable> Tables)
{
    /// <summary>What the source is, for the docs.</summary>
    public string? Description { get; init; }

    /// <summary>The connector that lands its files, as <c>type:</c> names it: <c>files</c> (the default) or <c>postgres</c>.</summary>
    public string Type { get; init; } = "files";

    /// <summary>What the connector read from the source file beyond the keys every source has (a database's connection and schema).</summary>
    public SourceOptions Options { get; init; } = SourceOptions.None;

    /// <summary>For a files source: how its tables' files are found and read, as the source's own keys say (each table's <see cref="SourceTable.Files"/> includes them).</summary>
    public FileReading Files { get; init; } = new();

    /// <summary>For a database source: where and how its batches land (root, partition folder, Parquet compression and row groups).</summary>
    public LandingSettings Landing { get; init; } = new();

    /// <summary>
    /// False when the source says <c>bronze: false</c>: its syncs land their batches (validated, as always) and stop
    /// there, for a lake whose readers are other engines (seed 003: the Parquet in S3 is the product, which Glue
    /// catalogs). No bronze table is written and no model may read one; the landed batches wait, and the first sync
    /// after <c>bronze: false</c> is removed loads them all into bronze.
    /// </summary>
    public bool LoadsBronze { get; init; } = true;

    /// <summary>What bronze does when the landing files' columns change. The default is <see cref="SchemaEvolution.AddColumns"/>.</summary>
    public SchemaEvolution SchemaEvolution { get; init; } = SchemaEvolution.AddColumns;

    /// <summary>The checks after each sync of its tables, as written under the source's <c>checks:</c>; each table's <see cref="SourceTable.Checks"/> already includes them.</summary>
    public SyncChecks Checks { get; init; } = SyncChecks.None;

    /// <summary>
    /// Set when the source says <c>tables: all</c>: each sync lists the schema's tables and takes those the patterns
    /// allow. <see cref="Tables"/> then holds only the tables models read, known before any connection is made.
    /// </summary>
    public TableDiscovery? Discovery { get; init; }
}

/// <summary>
/// <c>tables: all</c> with optional <c>include</c> and <c>exclude</c> patterns (<c>*</c> and <c>?</c>, ignoring case):
/// a table is synced when it matches an include pattern (any table when there are none) and no exclude pattern.
/// Discovered tables are extracted in full at every sync.
/// </summary>
/// <param name="Include">The patterns a table must match one of; empty for every table.</param>
/// <param name="Exclude">The patterns no synced table matches.</param>
/// <param name="Line">The line of <c>tables: all</c> in the source file.</param>
public sealed record TableDiscovery(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, int Line)
{
    /// <summary>Whether the patterns allow <paramref name="table"/>.</summary>
    public bool Allows(string table) =>
        (Include.Count == 0 || Include.Any(pattern => Matches(pattern, table))) && !Exclude.Any(pattern => Matches(pattern, table));

    private static bool Matches(string pattern, string table) =>
        System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, table, ignoreCase: true);
}

/// <summary>
/// What bronze does with a column that appears in the landing files (docs/projects.md, "Schema evolution"). Whatever
/// the policy, a column that disappears stays in bronze (NULL from then on), and a landing file keeps every column.
/// </summary>
public enum SchemaEvolution
{
    /// <summary>New columns are added to bronze; the rows already there have NULL in them. Type widenings are applied.</summary>
    AddColumns,

    /// <summary>A new column or a changed type fails the step, naming them, and nothing is loaded.</summary>
    Fail,

    /// <summary>Bronze keeps its columns; a new column's values stay in the landing files (and, for CSV and JSON, in <c>_rescued_data</c>).</summary>
    Ignore,
}

/// <summary>How a database source table is extracted at each sync.</summary>
public enum ExtractionMode
{
    /// <summary>The whole table, every sync.</summary>
    FullRefresh,

    /// <summary>The rows whose cursor column is at or past the table's stored cursor: the highest value landed so far.</summary>
    Incremental,
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

    /// <summary>For a database source: how each sync extracts the table.</summary>
    public ExtractionMode Mode { get; init; } = ExtractionMode.FullRefresh;

    /// <summary>For an incremental table: the column that grows with every insert and update, e.g. <c>atualizado_em</c>.</summary>
    public string? Cursor { get; init; }

    /// <summary>
    /// For an incremental table: how far behind its stored cursor each sync reads again, for rows committed late with
    /// an older cursor value; a DuckDB interval (<c>30 minutes</c>) for a date or timestamp cursor, a number for a
    /// numeric one, <c>0</c> for none. Null means <see cref="DefaultLookback"/> for a date or timestamp cursor, none otherwise.
    /// </summary>
    public string? Lookback { get; init; }

    /// <summary>
    /// The lookback of a date or timestamp cursor when the table sets none: a row's <c>updated_at default now()</c> is
    /// its transaction's start, and a transaction that commits within ten minutes of it is still read.
    /// </summary>
    public const string DefaultLookback = "10 minutes";

    /// <summary>Found by <c>tables: all</c> rather than declared: it has no line of its own, and is extracted in full.</summary>
    public bool Discovered { get; init; }

    /// <summary>
    /// The declared columns, in order. When present, <c>alquimia setup</c> can create the bronze table before any
    /// file has landed; landing files are read with these types.
    /// </summary>
    public IReadOnlyList<SourceColumn> Columns { get; init; } = [];

    /// <summary>For a files source: how the table's files are found and read, its own keys over its source's.</summary>
    public FileReading Files { get; init; } = new();

    /// <summary>The checks after each sync of the table: its own <c>checks:</c> over its source's.</summary>
    public SyncChecks Checks { get; init; } = SyncChecks.None;
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
