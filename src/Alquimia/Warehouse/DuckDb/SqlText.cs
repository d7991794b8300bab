using System.Globalization;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// The one place SQL text is quoted: identifiers, string literals and timestamp literals. Build SQL from values
/// through these, never by replacing quotes in place.
/// </summary>
public static class SqlText
{
    /// <summary>An identifier in double quotes, an embedded quote doubled: <c>"My ""Table"""</c>.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal in single quotes, an embedded quote doubled: <c>'d''Ávila'</c>.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A list literal of strings: <c>['a', 'b']</c>.</summary>
    public static string LiteralList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Literal)) + "]";

    /// <summary>The instant as UTC text to the microsecond, <c>2026-12-06 21:13:08.123456</c>, without a zone.</summary>
    public static string UtcTimestampText(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>A TIMESTAMPTZ literal of the instant, to the microsecond: <c>CAST('2026-12-06 21:13:08.123456+00' AS TIMESTAMPTZ)</c>.</summary>
    public static string TimestampTz(DateTimeOffset instant) => $"CAST('{UtcTimestampText(instant)}+00' AS TIMESTAMPTZ)";

    /// <summary>A TIMESTAMP literal of the instant's UTC wall time, to the microsecond: <c>TIMESTAMP '2026-12-06 21:13:08.123456'</c>.</summary>
    public static string UtcTimestamp(DateTimeOffset instant) => $"TIMESTAMP '{UtcTimestampText(instant)}'";
}
