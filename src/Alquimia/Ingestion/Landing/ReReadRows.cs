using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// The rows an incremental sync reads again — those in its lookback window behind the stored cursor, and those with a
/// NULL or non-finite cursor, which no cursor can reach — and what decides which of them to land: a row is landed
/// unless it is what is already landed. With a key, that is the latest landed version of the key (so A, then B, then
/// A again at the same cursor value lands A again); without one, a row is landed as many times as the rows like it
/// outnumber their landed copies (so a second identical row lands, and a row read again does not).
/// </summary>
/// <param name="Cursor">The cursor column's name.</param>
/// <param name="CursorType">Its DuckDB type.</param>
/// <param name="WindowStart">The text of the lowest cursor value read again; null when every row is read again.</param>
/// <param name="Key">The columns identifying a row; empty when the table has none.</param>
/// <param name="Landed">What is landed.</param>
/// <param name="LandedColumns">The landed rows' columns, by name, with their DuckDB types.</param>
internal sealed record ReReadRows(
    string Cursor, string CursorType, string? WindowStart, IReadOnlyList<string> Key, LandedRows Landed, IReadOnlyDictionary<string, string> LandedColumns)
{
    /// <summary>Set under <c>schema_evolution: ignore</c>, when bronze keeps its columns whatever the table gains.</summary>
    public bool IgnoresNewColumns { get; init; }

    /// <summary>The rows read again at or past <paramref name="windowStart"/>, compared with what is landed; null when nothing is.</summary>
    public static ReReadRows? Of(
        CheckedConnection warehouse, Project project, SourceDefinition source, SourceTable table, string cursor, string cursorType, string? windowStart,
        IReadOnlyList<string> key, CancellationToken cancellationToken)
    {
        var landed = LandedRows.Of(warehouse, project, source, table, cancellationToken);
        if (landed.IsEmpty)
        {
            return null;
        }

        // Bronze and a pending file may differ in columns (the table changed between them): their union is what the landed rows have.
        var columns = RelationCatalog.DescribeQuery(warehouse, landed.All, cancellationToken);
        return new ReReadRows(
            cursor, cursorType, windowStart, key, landed, columns.ToDictionary(column => column.Name, column => column.Type, StringComparer.OrdinalIgnoreCase))
        {
            IgnoresNewColumns = source.SchemaEvolution == SchemaEvolution.Ignore,
        };
    }

    /// <summary>
    /// The rows of <paramref name="read"/> (a SELECT of <paramref name="columns"/>, every row read again, all in one
    /// relation) that are to be landed.
    /// </summary>
    public string ToLand(string read, IReadOnlyList<ColumnInfo> columns)
    {
        var window = $"SELECT * FROM ({Landed.Versions}) WHERE {InWindow()}";
        var matches = Matches(columns);
        if (Key.Count > 0)
        {
            // Versions of a key past the window's start only: the latest landed version of a key read again is one of them,
            // unless its cursor went back since, and then it differs from the row read anyway.
            var latest = $"SELECT * FROM ({window}) QUALIFY row_number() OVER (PARTITION BY {string.Join(", ", Key.Select(SqlText.Identifier))} "
                + $"ORDER BY {LandedRows.VersionColumn} DESC) = 1";
            return $"SELECT * FROM ({read}) s WHERE NOT EXISTS (SELECT 1 FROM ({latest}) b WHERE {matches})";
        }

        const string Copy = "__alquimia_copy";
        var numbered = $"SELECT *, row_number() OVER (PARTITION BY {string.Join(", ", columns.Select(column => SqlText.Identifier(column.Name)))}) AS {Copy} FROM ({read})";
        return $"SELECT * EXCLUDE ({Copy}) FROM ({numbered}) s WHERE s.{Copy} > (SELECT count(*) FROM ({window}) b WHERE {matches})";
    }

    /// <summary>The landed rows whose cursor is in the window, NULL or not finite: those the source's rows read again can be.</summary>
    private string InWindow()
    {
        if (WindowStart is null)
        {
            return "TRUE";
        }

        var cursor = SqlText.Identifier(Cursor);
        return $"{cursor} >= CAST({SqlText.Literal(WindowStart)} AS {CursorType}) OR {cursor} IS NULL OR NOT {CursorValues.IsFinite(cursor, CursorType)}";
    }

    /// <summary>
    /// A landed row is the same row when every column the table has now matches it. The landed rows may predate a
    /// schema change: a column they lack counts as NULL in them (once bronze has it, the row landed again brings its
    /// value), and one whose type changed is compared as text. Under <c>schema_evolution: ignore</c> bronze never gets
    /// a new column, so a column the landed rows lack is left out of the comparison: else the row would land again
    /// at every sync.
    /// </summary>
    private string Matches(IReadOnlyList<ColumnInfo> columns) =>
        string.Join(" AND ", columns.Where(column => !IgnoresNewColumns || LandedColumns.ContainsKey(column.Name)).Select(column =>
        {
            var quoted = SqlText.Identifier(column.Name);
            if (!LandedColumns.TryGetValue(column.Name, out var type))
            {
                return $"s.{quoted} IS NULL";
            }

            return string.Equals(type, column.Type, StringComparison.OrdinalIgnoreCase)
                ? $"b.{quoted} IS NOT DISTINCT FROM s.{quoted}"
                : $"CAST(b.{quoted} AS VARCHAR) IS NOT DISTINCT FROM CAST(s.{quoted} AS VARCHAR)";
        }).DefaultIfEmpty("TRUE"));
}
