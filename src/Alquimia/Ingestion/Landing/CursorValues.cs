using System.Globalization;
using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// The SQL DuckDB needs for an incremental table's cursor values, by the cursor's DuckDB type: which values are not
/// finite (NaN, ±infinity: the stored cursor never takes them, or one NaN would freeze the table, since NaN sorts
/// above every number), the highest finite value, and a text of a value that the source reads back as the same value.
/// </summary>
internal static class CursorValues
{
    /// <summary>True for the types with values that are not finite: dates, timestamps and floats.</summary>
    public static bool HasNonFinite(string duckDbType) => IsTemporal(duckDbType) || duckDbType is "FLOAT" or "DOUBLE";

    /// <summary>True for a date or timestamp cursor, which a lookback moves back by an interval.</summary>
    public static bool IsTemporal(string duckDbType) =>
        duckDbType is "DATE" or "TIMESTAMP" or "TIMESTAMPTZ" or "TIMESTAMP WITH TIME ZONE";

    /// <summary>A predicate true when <paramref name="value"/> is finite (always, for an integer or a decimal).</summary>
    public static string IsFinite(string value, string duckDbType) => HasNonFinite(duckDbType) ? $"isfinite({value})" : "TRUE";

    /// <summary>The highest finite value of the column, as its <see cref="Text"/>; NULL when it has none.</summary>
    public static string MaxText(string quotedColumn, string duckDbType) =>
        Text($"max({quotedColumn}) FILTER (WHERE {IsFinite(quotedColumn, duckDbType)})", duckDbType);

    /// <summary>
    /// The value as text that reads back as the same value in DuckDB and in the source. A timestamp with time zone is
    /// written in UTC: DuckDB writes it in its session's time zone with the offset cut to minutes, so that an instant
    /// in a local mean time (São Paulo before 1914 was 3:06:28 behind UTC) would read back 28 seconds off.
    /// </summary>
    public static string Text(string value, string duckDbType) => duckDbType is "TIMESTAMPTZ" or "TIMESTAMP WITH TIME ZONE"
        ? $"CAST(timezone('UTC', {value}) AS VARCHAR) || '+00'"
        : $"CAST({value} AS VARCHAR)";

    /// <summary>
    /// The value <paramref name="lookback"/> behind the value parameter <c>$1</c>, as its <see cref="Text"/>: an interval
    /// for a date or timestamp (a date goes back whole days: part of a day reads the whole day again), a number for a
    /// number (the caller has checked which the lookback is). An unsigned cursor stops at 0: an id of 5 with a lookback
    /// of 1000 reads from 0, not from -995, which its type has not.
    /// </summary>
    public static string Behind(string duckDbType, string lookback)
    {
        var value = $"CAST($1 AS {duckDbType})";
        var behind = IsTemporal(duckDbType) ? $"CAST({SqlText.Literal(lookback)} AS INTERVAL)" : $"CAST({SqlText.Literal(lookback)} AS DECIMAL(38, 10))";
        var difference = duckDbType.StartsWith('U') ? $"greatest({value} - {behind}, 0)" : $"{value} - {behind}";
        return Text($"CAST({difference} AS {duckDbType})", duckDbType);
    }

    /// <summary>
    /// The lowest cursor value an incremental sync reads again: the table's lookback behind <paramref name="from"/>
    /// (the stored cursor), computed by DuckDB, whose text both the read and the comparison with what is landed use.
    /// </summary>
    /// <param name="sourceType">The cursor column's type in the source, for the message.</param>
    /// <exception cref="AlquimiaException">The lookback does not suit the cursor's type.</exception>
    public static string WindowStart(ExtractionRequest request, string cursor, string duckDbType, string sourceType, string from, CancellationToken cancellationToken)
    {
        var (source, table) = (request.Source, request.Table);
        var temporal = IsTemporal(duckDbType);
        var lookback = table.Lookback ?? (temporal ? SourceTable.DefaultLookback : null);
        var isNumber = decimal.TryParse(lookback, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount);
        if (lookback is null || isNumber && amount == 0)
        {
            return from;
        }

        if (temporal == isNumber || duckDbType == "TIME")
        {
            var wanted = temporal ? "an interval, e.g. lookback: 30 minutes" : duckDbType == "TIME" ? "none: a time of day wraps at midnight" : "a number, e.g. lookback: 1000";
            throw new AlquimiaException(
                $"Source '{source.Name}': the lookback '{lookback}' of table {table.Name} ({Path.GetFileName(source.FilePath)}:{table.Line}) does not suit its "
                + $"cursor '{cursor}', which is {sourceType}: it takes {wanted}, or 0 for none.");
        }

        return request.Warehouse.Scalar<string>($"SELECT {Behind(duckDbType, lookback)}", cancellationToken, from)!;
    }
}
