using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>Reads, compares and filters on a model's watermark, kept as text and cast back to its own type.</summary>
internal static class Watermarks
{
    /// <summary>
    /// The filter selecting the rows the build reads: its watermark at least the build's lower bound (past it, for a
    /// <c>_loaded_at</c> watermark: see <see cref="LoadStamp"/>); TRUE when it reads every row.
    /// </summary>
    public static string Filter(ModelBuild build, ColumnInfo column) =>
        build.Scope.WatermarkLowerBound is { } bound
            ? $"{SqlLists.Qualified("model", column.Name)} {(IsArrivalStamp(column.Name) ? ">" : ">=")} {bound}"
            : "TRUE";

    /// <summary>
    /// True for a stamp Alquimia gives rows as they arrive: <c>_loaded_at</c> (one per build) and bronze's
    /// <c>_ingestion_timestamp</c> (one per row, each load's after the last one's). Every row at the stored stamp was
    /// read by the build that stored it, so the bound is exclusive: a row read again would be checked, and counted by
    /// the expectations, twice. Any other watermark is inclusive, as a later row may share the last value read.
    /// </summary>
    private static bool IsArrivalStamp(string column) =>
        LoadStamp.IsStamp(column) || string.Equals(column, Ingestion.Landing.LandingLoader.IngestionTimestamp, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The stored watermark minus the lookback, as a SQL constant of the watermark's own type: DuckDB would make
    /// <c>DATE - INTERVAL</c> a TIMESTAMP, and the bound is also what the model's watermark_lower_bound() returns, where
    /// users compare it with their own columns. For a DATE watermark, a lookback of part of a day re-reads the whole day.
    /// The type is the stored one (the query's watermark type when it was stored), not the query's as described now:
    /// describing the query binds the model's SQL, which may call watermark_lower_bound(), so the bound comes first.
    /// </summary>
    public static string LowerBound(StoredWatermark stored, string? lookback)
    {
        var watermark = $"CAST({Literal(stored.Value)} AS {stored.Type})";
        if (lookback is null)
        {
            return watermark;
        }

        var behind = IsTemporal(stored.Type) ? $"CAST({Literal(lookback)} AS INTERVAL)" : $"CAST({Literal(lookback)} AS {stored.Type})";
        return $"CAST({watermark} - {behind} AS {stored.Type})";
    }

    /// <summary>The largest watermark in <paramref name="relation"/>, or null when it has no rows with one.</summary>
    public static StoredWatermark? Newest(ModelBuild build, QualifiedName relation, ColumnInfo column)
    {
        var value = build.Scalar<string>($"SELECT CAST(max({SqlText.Identifier(column.Name)}) AS VARCHAR) FROM {relation.Sql}");
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

    private static string Literal(string text) => SqlText.Literal(text);
}
