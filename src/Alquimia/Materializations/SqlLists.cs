using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Materializations;

/// <summary>Column lists and key conditions for generated SQL, with every identifier quoted.</summary>
internal static class SqlLists
{
    public static string Columns(IEnumerable<ColumnInfo> columns, string? alias = null) =>
        string.Join(", ", columns.Select(column => Qualified(alias, column.Name)));

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
        alias is null ? QualifiedName.Quote(column) : $"{alias}.{QualifiedName.Quote(column)}";

    /// <summary>Keeps one row per key: the latest by <paramref name="orderColumn"/>, then the smallest row, so ties break the same way every run.</summary>
    public static string LatestPerKey(IReadOnlyList<string> keys, string? orderColumn, IEnumerable<ColumnInfo> columns)
    {
        var order = new List<string>();
        if (orderColumn is not null)
        {
            order.Add($"{QualifiedName.Quote(orderColumn)} DESC NULLS LAST");
        }

        order.AddRange(columns.Select(column => QualifiedName.Quote(column.Name)));
        return $"QUALIFY row_number() OVER (PARTITION BY {string.Join(", ", keys.Select(QualifiedName.Quote))} ORDER BY {string.Join(", ", order)}) = 1";
    }
}
