using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Materializations;

/// <summary>Reads, compares and filters on a model's watermark, kept as text and cast back to its own type.</summary>
internal static class Watermarks
{
    /// <summary>The filter selecting rows at or past the stored watermark minus the lookback; TRUE when nothing is stored.</summary>
    public static string LowerBound(ModelBuild build, ColumnInfo column)
    {
        if (build.StoredWatermark is not { } stored)
        {
            return "TRUE";
        }

        var bound = $"CAST({Literal(stored.Value)} AS {column.Type})";
        if (build.Model.Config.Lookback is { } lookback)
        {
            bound = IsTemporal(column.Type)
                ? $"{bound} - CAST({Literal(lookback)} AS INTERVAL)"
                : $"{bound} - CAST({Literal(lookback)} AS {column.Type})";
        }

        return $"{SqlLists.Qualified("model", column.Name)} >= {bound}";
    }

    /// <summary>The largest watermark in <paramref name="relation"/>, or null when it has no rows with one.</summary>
    public static StoredWatermark? Newest(ModelBuild build, QualifiedName relation, ColumnInfo column)
    {
        var value = build.Scalar<string>($"SELECT CAST(max({QualifiedName.Quote(column.Name)}) AS VARCHAR) FROM {relation.Sql}");
        return value is null ? null : new StoredWatermark(column.Name, value, column.Type);
    }

    /// <summary>The later of two watermarks, compared by DuckDB in their own type.</summary>
    public static StoredWatermark? Greatest(ModelBuild build, StoredWatermark? a, StoredWatermark? b)
    {
        if (a is null || b is null || !string.Equals(a.Type, b.Type, StringComparison.OrdinalIgnoreCase))
        {
            return b ?? a;
        }

        var aIsLater = build.Scalar<bool>($"SELECT CAST({Literal(a.Value)} AS {a.Type}) > CAST({Literal(b.Value)} AS {b.Type})");
        return aIsLater ? a : b;
    }

    public static bool IsTemporal(string type) =>
        type.StartsWith("TIMESTAMP", StringComparison.OrdinalIgnoreCase) || type.Equals("DATE", StringComparison.OrdinalIgnoreCase);

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
