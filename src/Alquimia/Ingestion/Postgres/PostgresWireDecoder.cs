using System.Buffers.Binary;
using Alquimia.Engine.DuckDb;

namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// Appends one field of a binary COPY row, in PostgreSQL's send format, to the appender's row: numbers and times are
/// turned from big-endian with PostgreSQL's epoch (2000-01-01) into DuckDB's values, text and bytes are copied as
/// they are. No .NET string or boxed value is made on the way.
/// </summary>
internal static class PostgresWireDecoder
{
    /// <summary>2000-01-01, PostgreSQL's epoch for dates and timestamps, in .NET ticks.</summary>
    private static readonly long EpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static readonly int EpochDayNumber = new DateOnly(2000, 1, 1).DayNumber;

    public static DuckDbAppenderRow Append(DuckDbAppenderRow row, PostgresWireValue wire, ReadOnlySpan<byte> value) => wire switch
    {
        PostgresWireValue.Boolean => row.Append(value[0] != 0),
        PostgresWireValue.Int16 => row.Append(BinaryPrimitives.ReadInt16BigEndian(value)),
        PostgresWireValue.Int32 => row.Append(BinaryPrimitives.ReadInt32BigEndian(value)),
        PostgresWireValue.Int64 => row.Append(BinaryPrimitives.ReadInt64BigEndian(value)),
        PostgresWireValue.Float4 => row.Append(BinaryPrimitives.ReadSingleBigEndian(value)),
        PostgresWireValue.Float8 => row.Append(BinaryPrimitives.ReadDoubleBigEndian(value)),
        PostgresWireValue.Text => row.AppendUtf8(value),
        PostgresWireValue.Bytes => row.Append(value),
        PostgresWireValue.Date => row.Append(Date(BinaryPrimitives.ReadInt32BigEndian(value))),
        PostgresWireValue.Timestamp => row.Append(Timestamp(BinaryPrimitives.ReadInt64BigEndian(value), DateTimeKind.Unspecified)),
        PostgresWireValue.TimestampTz => row.Append(new DateTimeOffset(Timestamp(BinaryPrimitives.ReadInt64BigEndian(value), DateTimeKind.Utc))),
        PostgresWireValue.Time => row.Append(TimeSpan.FromMicroseconds(BinaryPrimitives.ReadInt64BigEndian(value))),
        PostgresWireValue.Interval => row.Append(new DuckDbInterval(
            BinaryPrimitives.ReadInt32BigEndian(value[12..]), BinaryPrimitives.ReadInt32BigEndian(value[8..]), BinaryPrimitives.ReadInt64BigEndian(value))),
        PostgresWireValue.Uuid => row.Append(new Guid(value, bigEndian: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Unknown wire value."),
    };

    /// <summary>Days since 2000-01-01; PostgreSQL's ±infinity become the first and last day .NET has, as Npgsql reads them.</summary>
    private static DateOnly Date(int days) => days switch
    {
        int.MaxValue => DateOnly.MaxValue,
        int.MinValue => DateOnly.MinValue,
        _ => DateOnly.FromDayNumber(EpochDayNumber + days),
    };

    /// <summary>Microseconds since 2000-01-01; ±infinity become the last and first instants .NET has, as Npgsql reads them.</summary>
    private static DateTime Timestamp(long microseconds, DateTimeKind kind) => microseconds switch
    {
        long.MaxValue => DateTime.SpecifyKind(DateTime.MaxValue, kind),
        long.MinValue => DateTime.SpecifyKind(DateTime.MinValue, kind),
        _ => new DateTime(EpochTicks + (microseconds * TimeSpan.TicksPerMicrosecond), kind),
    };
}
