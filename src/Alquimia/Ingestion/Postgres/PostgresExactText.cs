namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// The SQL, run by PostgreSQL in the COPY's SELECT, that writes a value as a text DuckDB's <c>CAST</c> reads back to
/// the same value, where PostgreSQL's own text is not one: DuckDB reads <c>4713-01-01 BC</c> as 4713 AD and refuses
/// BC timestamps, and reads neither an interval's <c>+3 days</c> nor hours past 999,999,999. Each expression is NULL
/// when the value is, and depends on no session setting (DateStyle, IntervalStyle, TimeZone).
/// </summary>
internal static class PostgresExactText
{
    /// <summary>
    /// An interval as <c>14 months 3 days -14706000001 microseconds</c>: PostgreSQL's and DuckDB's intervals both are
    /// months, days and microseconds, kept apart (a month is not 30 days, nor a day 24 hours, across a DST change).
    /// </summary>
    public static string Interval(string value) =>
        $"(extract(year FROM {value}) * 12 + extract(month FROM {value})) || ' months ' || extract(day FROM {value}) || ' days ' "
        + $"|| (extract(hour FROM {value}) * 3600000000 + extract(minute FROM {value}) * 60000000 + extract(microsecond FROM {value})) || ' microseconds'";

    /// <summary>A date as <c>YYYY-MM-DD</c> with the astronomical year (1 BC is 0000, 4713 BC is -4712), or ±infinity.</summary>
    public static string Date(string value) =>
        $"CASE WHEN NOT isfinite({value}) THEN {value}::text ELSE {Year(value)} "
        + $"|| '-' || to_char(extract(month FROM {value}), 'FM00') || '-' || to_char(extract(day FROM {value}), 'FM00') END";

    /// <summary>A timestamp to the microsecond, with the astronomical year, or ±infinity.</summary>
    public static string Timestamp(string value) =>
        $"CASE WHEN NOT isfinite({value}) THEN {value}::text ELSE {Year(value)} || to_char({value}, '-MM-DD HH24:MI:SS.US') END";

    /// <summary>A timestamptz as its UTC time with <c>+00</c>, whatever the session's time zone, or ±infinity.</summary>
    public static string TimestampTz(string value) =>
        $"CASE WHEN NOT isfinite({value}) THEN {value}::text ELSE {Timestamp($"({value} AT TIME ZONE 'UTC')")} || '+00' END";

    /// <summary>A value of a type whose output text pads (char(n)), which a cast to text would trim.</summary>
    public static string Output(string value) => $"CASE WHEN {value} IS NOT NULL THEN format('%s', {value}) END";

    /// <summary>PostgreSQL counts no year 0 (extract gives -1 for 1 BC); ISO 8601 and DuckDB do. Far-future years keep all their digits.</summary>
    private static string Year(string value) =>
        $"to_char(extract(year FROM {value}) + CASE WHEN extract(year FROM {value}) < 0 THEN 1 ELSE 0 END, 'FM9999990000')";
}
