namespace Alquimia.Ingestion.Landing;

/// <summary>
/// Where a table's next sync starts, kept as text with its type so that it casts back exactly: the highest value of a
/// cursor column landed so far (<see cref="ValueKind"/>, with its <see cref="Column"/>), or a position in the source's
/// change log that only its connector reads (e.g. kind <c>lsn</c>, value <c>0/16B3748</c>, type <c>pg_lsn</c>).
/// </summary>
/// <param name="Kind">What the value is: <see cref="ValueKind"/>, or a connector's own kind of position.</param>
/// <param name="Value">The value as DuckDB writes it (<c>CAST(x AS VARCHAR)</c>), or the log position.</param>
/// <param name="Type">The value's DuckDB type (<c>TIMESTAMP</c>, <c>DECIMAL(12,2)</c>), or the log position's.</param>
public sealed record SourceCursor(string Kind, string Value, string Type)
{
    /// <summary>The kind of a cursor column's highest value.</summary>
    public const string ValueKind = "value";

    /// <summary>The cursor column of a <see cref="ValueKind"/> cursor; null for a log position.</summary>
    public string? Column { get; init; }

    /// <summary>A cursor column's highest value landed.</summary>
    public static SourceCursor OfValue(string column, string value, string duckDbType) => new(ValueKind, value, duckDbType) { Column = column };
}
