using Alquimia.Engine.DuckDb.Native;
using Alquimia.Engine.DuckDb.Reading;

namespace Alquimia.Engine.DuckDb.Writing;

/// <summary>DATE: days since 1970-01-01. A DateTime is accepted only at midnight, so no time of day is lost.</summary>
internal sealed unsafe class DateColumnWriter(string columnName) : ColumnWriter(columnName, "DATE")
{
    public override void WriteDate(ulong row, DateOnly value) => ((int*)Data)[row] = DuckDbTime.FromDateOnly(value);

    public override void WriteDateTime(ulong row, DateTime value) =>
        WriteDate(row, value.TimeOfDay == TimeSpan.Zero ? DateOnly.FromDateTime(value) : throw OutOfRange(value.ToString("O")));
}

/// <summary>TIME: microseconds since midnight.</summary>
internal sealed unsafe class TimeColumnWriter(string columnName) : ColumnWriter(columnName, "TIME")
{
    public override void WriteTime(ulong row, TimeOnly value) => ((long*)Data)[row] = value.Ticks / TimeSpan.TicksPerMicrosecond;

    public override void WriteTimeSpan(ulong row, TimeSpan value) =>
        ((long*)Data)[row] = value >= TimeSpan.Zero && value <= TimeSpan.FromDays(1)
            ? value.Ticks / TimeSpan.TicksPerMicrosecond
            : throw OutOfRange(value);
}

/// <summary>
/// TIMESTAMP (and _S, _MS, _NS): a wall-clock time counted from 1970 in the column's unit. A DateTimeOffset is
/// written as its UTC time.
/// </summary>
internal sealed unsafe class TimestampColumnWriter(string columnName, string typeName, long ticksPerUnit) : ColumnWriter(columnName, typeName)
{
    public override void WriteDateTime(ulong row, DateTime value) => ((long*)Data)[row] = FromTicks(value.Ticks);

    public override void WriteDate(ulong row, DateOnly value) => WriteDateTime(row, value.ToDateTime(TimeOnly.MinValue));

    public override void WriteDateTimeOffset(ulong row, DateTimeOffset value) => ((long*)Data)[row] = FromTicks(value.UtcTicks);

    private long FromTicks(long ticks)
    {
        var sinceEpoch = ticks - DuckDbTime.EpochTicks;
        if (ticksPerUnit != 0)
        {
            // Coarser units divide, rounding down as DuckDB does.
            return DuckDbTime.FloorDivide(sinceEpoch, ticksPerUnit);
        }

        // Nanoseconds multiply, and a long of them only spans the years 1677 to 2262.
        return sinceEpoch is >= long.MinValue / 100 and <= long.MaxValue / 100
            ? sinceEpoch * 100
            : throw OutOfRange(new DateTime(ticks).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// TIMESTAMP WITH TIME ZONE: an instant, microseconds since 1970 UTC. A DateTime of Utc kind is taken as is, one of
/// Local kind is converted to UTC, and one of Unspecified kind is refused: it names no instant (a parameter binds it
/// as a wall-clock time in the session's TimeZone, and guessing UTC here would store another instant).
/// </summary>
internal sealed unsafe class TimestampTzColumnWriter(string columnName) : ColumnWriter(columnName, "TIMESTAMP WITH TIME ZONE")
{
    public override void WriteDateTimeOffset(ulong row, DateTimeOffset value) =>
        ((long*)Data)[row] = DuckDbTime.ToEpochMicros(value.UtcTicks);

    public override void WriteDateTime(ulong row, DateTime value) => ((long*)Data)[row] = value.Kind switch
    {
        DateTimeKind.Utc => DuckDbTime.ToEpochMicros(value.Ticks),
        DateTimeKind.Local => DuckDbTime.ToEpochMicros(value.ToUniversalTime().Ticks),
        _ => throw new ArgumentException(
            $"Column '{ColumnName}' is {TypeName}, and the DateTime {value:O} is of Unspecified kind: it does not say which instant it is. "
            + "Append a DateTimeOffset, or a DateTime of Utc (or Local) kind, e.g. DateTime.SpecifyKind(value, DateTimeKind.Utc)."),
    };
}

/// <summary>INTERVAL.</summary>
internal sealed unsafe class IntervalColumnWriter(string columnName) : ColumnWriter(columnName, "INTERVAL")
{
    public override void WriteInterval(ulong row, DuckDbInterval value) => ((DuckDbInterval*)Data)[row] = value;

    public override void WriteTimeSpan(ulong row, TimeSpan value) => WriteInterval(row, DuckDbInterval.FromTimeSpan(value));
}

/// <summary>UUID: a HUGEINT of the UUID's bytes, most significant first, with the top bit flipped so that it sorts.</summary>
internal sealed unsafe class UuidColumnWriter(string columnName) : ColumnWriter(columnName, "UUID")
{
    public override void WriteGuid(ulong row, Guid value) => ((DuckDbHugeInt*)Data)[row] = DuckDbUuid.ToHugeInt(value);

    public override void WriteString(ulong row, string value) => WriteGuid(row, Guid.Parse(value));
}
