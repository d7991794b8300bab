using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>Column lists and key conditions for generated SQL, with every identifier quoted.</summary>
internal static class SqlLists
{
    public static string Columns(IEnumerable<ColumnInfo> columns, string? alias = null) =>
        string.Join(", ", columns.Select(column => Qualified(alias, column.Name)));

    /// <summary>The quoted <paramref name="names"/>, each prefixed with <paramref name="alias"/> when given.</summary>
    public static string Names(IEnumerable<string> names, string? alias = null) => string.Join(", ", names.Select(name => Qualified(alias, name)));

    /// <summary><c>t.k1 IS NOT DISTINCT FROM s.k1 AND …</c>: NULL keys match each other, so re-runs never duplicate them.</summary>
    public static string KeysMatch(IEnumerable<string> keys, string left, string right) =>
        string.Join(" AND ", keys.Select(key => $"{Qualified(left, key)} IS NOT DISTINCT FROM {Qualified(right, key)}"));

    /// <summary><c>t.c1 IS DISTINCT FROM s.c1 OR …</c>, or FALSE for no columns.</summary>
    public static string AnyDiffers(IEnumerable<string> columns, string left, string right)
    {
        var conditions = columns.Select(column => $"{Qualified(left, column)} IS DISTINCT FROM {Qualified(right, column)}").ToList();
        return conditions.Count == 0 ? "FALSE" : string.Join(" OR ", conditions);
    }

    public static string Qualified(string? alias, string column) =>
        alias is null ? SqlText.Identifier(column) : $"{alias}.{SqlText.Identifier(column)}";

    /// <summary>
    /// Keeps one row per key, the one ranked first by <see cref="VersionRank"/>. NULL keys are one key, as in
    /// <see cref="KeysMatch"/>: a key (1, NULL) of a composite key is updated like any other.
    /// </summary>
    public static string LatestPerKey(IReadOnlyList<string> keys, string? orderColumn, IEnumerable<ColumnInfo> columns) =>
        $"QUALIFY {VersionRank(keys, orderColumn, columns)} = 1";

    /// <summary><c>k1 IS NULL OR …</c>: a row whose key is incomplete.</summary>
    public static string AnyKeyNull(IEnumerable<string> keys, string? alias = null) =>
        "(" + string.Join(" OR ", keys.Select(key => $"{Qualified(alias, key)} IS NULL")) + ")";

    /// <summary>
    /// A row's rank among the versions of its key, 1 for the one that is kept: the latest by
    /// <paramref name="orderColumn"/> (the watermark); among equal watermarks, the one that arrived last, by
    /// <c>_ingestion_timestamp</c>, which bronze makes unique per row in file and line order (docs/running.md), when
    /// the rows carry it. Only rows that carry no arrival order fall back to a hash of their other values: the same
    /// pick every run, but not a meaningful one. The hash, not the values themselves: DuckDB's window sorts on every
    /// ORDER BY column, and ordering a 32-column fact by all of them made the sort keys as wide as the rows.
    /// </summary>
    public static string VersionRank(IReadOnlyList<string> keys, string? orderColumn, IEnumerable<ColumnInfo> columns)
    {
        var order = new List<string>();
        if (orderColumn is not null)
        {
            order.Add($"{SqlText.Identifier(orderColumn)} DESC NULLS LAST");
        }

        var columnList = columns.ToList();
        var arrival = columnList.FirstOrDefault(column => string.Equals(column.Name, ArrivalColumn, StringComparison.OrdinalIgnoreCase));
        if (arrival is not null && !string.Equals(arrival.Name, orderColumn, StringComparison.OrdinalIgnoreCase))
        {
            order.Add($"{SqlText.Identifier(arrival.Name)} DESC NULLS LAST");
        }

        // Not the stamp: the one a build writes is the same on every row, and the one a query reads may be replaced by it
        // before the versions are ranked (see LoadStamp), so with it the paths of a build could keep different versions.
        // The key and the order column, equal among the rows that tie, stay out of it too.
        var tieBreakers = columnList.Where(column => !keys.Contains(column.Name, StringComparer.OrdinalIgnoreCase)
            && !string.Equals(column.Name, orderColumn, StringComparison.OrdinalIgnoreCase) && !LoadStamp.IsStamp(column.Name)).ToList();
        if (tieBreakers.Count > 0)
        {
            order.Add($"hash({Columns(tieBreakers)})");
        }

        // Rows equal in every column but the key need no order: any of them is the same row.
        var orderBy = order.Count == 0 ? "" : $" ORDER BY {string.Join(", ", order)}";
        return $"row_number() OVER (PARTITION BY {string.Join(", ", keys.Select(SqlText.Identifier))}{orderBy})";
    }

    /// <summary>Bronze's per-row arrival stamp, unique and in file and line order (see LandingLoader).</summary>
    private const string ArrivalColumn = "_ingestion_timestamp";
}
