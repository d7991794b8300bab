using System.Globalization;
using System.Text.Json;

namespace Alquimia.Engine.DuckDb.Reading;

/// <summary>Conversions between DuckDB's epoch-based temporal values and the CLR's tick-based ones.</summary>
internal static class DuckDbTime
{
    /// <summary>0001-01-01 to 1970-01-01, in days: DuckDB counts dates from 1970.</summary>
    public const int EpochDayNumber = 719_162;

    /// <summary>DuckDB's DATE 'infinity'; '-infinity' is its negation.</summary>
    public const int DateInfinity = int.MaxValue;

    /// <summary>DuckDB's TIMESTAMP 'infinity'; '-infinity' is its negation.</summary>
    public const long TimestampInfinity = long.MaxValue;

    public static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public static DateOnly ToDateOnly(int days)
    {
        // Infinity maps to the ends of DateOnly's range, as other .NET providers do.
        if (days == DateInfinity)
        {
            return DateOnly.MaxValue;
        }

        if (days == -DateInfinity)
        {
            return DateOnly.MinValue;
        }

        var dayNumber = (long)days + EpochDayNumber;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw new OverflowException(
                $"The DATE {days} days from 1970-01-01 is outside the years 1 to 9999 that .NET dates hold; read it as text (CAST(... AS VARCHAR)).");
        }

        return DateOnly.FromDayNumber((int)dayNumber);
    }

    public static int FromDateOnly(DateOnly date) => date.DayNumber - EpochDayNumber;

    /// <summary>A time of day as <c>HH:mm:ss.fffffff</c>, trailing zeros dropped; TIME runs to 24:00:00 inclusive.</summary>
    public static string FormatTimeOfDay(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}")
        + time.ToString(@"\:mm\:ss\.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');

    /// <summary>Microseconds since 1970, rounding sub-microsecond ticks down, as DuckDB would.</summary>
    public static long ToEpochMicros(long ticks) => FloorDivide(ticks - EpochTicks, TimeSpan.TicksPerMicrosecond);

    public static long FloorDivide(long value, long divisor)
    {
        var quotient = value / divisor;
        return value % divisor < 0 ? quotient - 1 : quotient;
    }
}

/// <summary>
/// DuckDB timestamps of one unit (seconds, milliseconds, microseconds or nanoseconds since 1970) as DateTime. The
/// range that fits DateTime is worked out once, so a value in it costs one comparison pair and one multiplication.
/// </summary>
internal readonly struct TimestampScale
{
    /// <summary>Ticks per unit; 0 for nanoseconds, which are finer than a tick.</summary>
    private readonly long _ticksPerUnit;
    private readonly long _min;
    private readonly long _max;

    public TimestampScale(long ticksPerUnit)
    {
        _ticksPerUnit = ticksPerUnit;
        if (ticksPerUnit == 0)
        {
            // Nanosecond timestamps span 1677 to 2262: all of them fit; only ±infinity is left out.
            _min = -DuckDbTime.TimestampInfinity + 1;
            _max = DuckDbTime.TimestampInfinity - 1;
        }
        else
        {
            _min = -((DuckDbTime.EpochTicks - DateTime.MinValue.Ticks) / ticksPerUnit);
            _max = (DateTime.MaxValue.Ticks - DuckDbTime.EpochTicks) / ticksPerUnit;
        }
    }

    public DateTime ToDateTime(long value, DateTimeKind kind)
    {
        if (value >= _min && value <= _max)
        {
            var sinceEpoch = _ticksPerUnit == 0 ? DuckDbTime.FloorDivide(value, 100) : value * _ticksPerUnit;
            return new DateTime(DuckDbTime.EpochTicks + sinceEpoch, kind);
        }

        // Infinity maps to the ends of DateTime's range, as other .NET providers do.
        return value switch
        {
            DuckDbTime.TimestampInfinity => DateTime.SpecifyKind(DateTime.MaxValue, kind),
            -DuckDbTime.TimestampInfinity => DateTime.SpecifyKind(DateTime.MinValue, kind),
            // DuckDB's timestamps reach the year 294247.
            _ => throw new OverflowException(
                "The TIMESTAMP is outside the years 1 to 9999 that .NET dates hold; read it as text (CAST(... AS VARCHAR))."),
        };
    }
}

/// <summary>DATE, as <see cref="DateOnly"/>.</summary>
internal sealed unsafe class DateVectorReader(string typeName) : VectorReader<DateOnly>(DuckDbType.Date, typeName)
{
    public override DateOnly Read(ulong row) => DuckDbTime.ToDateOnly(((int*)Data)[row]);

    public override string GetString(ulong row) => Read(row).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>TIME (microseconds) and TIME_NS (nanoseconds) since midnight, as <see cref="TimeOnly"/>.</summary>
internal sealed unsafe class TimeVectorReader(DuckDbType type, string typeName, bool nanoseconds)
    : VectorReader<TimeOnly>(type, typeName)
{
    public override TimeOnly Read(ulong row)
    {
        var value = ((long*)Data)[row];
        var ticks = nanoseconds ? value / 100 : value * TimeSpan.TicksPerMicrosecond;
        if (ticks >= TimeSpan.TicksPerDay)
        {
            throw new OverflowException("The TIME 24:00:00 is past the last TimeOnly; read it as TimeSpan or as text.");
        }

        return new TimeOnly(ticks);
    }

    public TimeSpan ReadTimeSpan(ulong row)
    {
        var value = ((long*)Data)[row];
        return TimeSpan.FromTicks(nanoseconds ? value / 100 : value * TimeSpan.TicksPerMicrosecond);
    }

    public override string GetString(ulong row) => DuckDbTime.FormatTimeOfDay(ReadTimeSpan(row));
}

/// <summary>TIME WITH TIME ZONE: 40 bits of microseconds and 24 bits of offset, read as text such as <c>12:30:00+02:00</c>.</summary>
internal sealed unsafe class TimeTzVectorReader(string typeName) : VectorReader<string>(DuckDbType.TimeTz, typeName)
{
    /// <summary>DuckDB stores the offset as this maximum minus the offset in seconds, so that sorting works.</summary>
    private const int MaxOffsetSeconds = (16 * 60 * 60) - 1;

    public override string Read(ulong row)
    {
        var bits = ((ulong*)Data)[row];
        var time = TimeSpan.FromTicks((long)(bits >> 24) * TimeSpan.TicksPerMicrosecond);
        var offset = MaxOffsetSeconds - (int)(bits & 0xFFFFFF);
        return DuckDbTime.FormatTimeOfDay(time) + FormatOffset(offset);
    }

    /// <summary>As DuckDB writes it: <c>+02</c>, <c>-03:30</c>, <c>+05:30:45</c>.</summary>
    private static string FormatOffset(int seconds)
    {
        var magnitude = Math.Abs(seconds);
        var text = string.Create(CultureInfo.InvariantCulture, $"{(seconds < 0 ? '-' : '+')}{magnitude / 3600:00}");
        if (magnitude % 3600 != 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $":{magnitude / 60 % 60:00}");
        }

        return magnitude % 60 != 0 ? text + string.Create(CultureInfo.InvariantCulture, $":{magnitude % 60:00}") : text;
    }
}

/// <summary>TIMESTAMP, TIMESTAMP_S, _MS and _NS, as <see cref="DateTime"/> of unspecified kind (a wall-clock time).</summary>
internal sealed unsafe class TimestampVectorReader(DuckDbType type, string typeName, long ticksPerUnit)
    : VectorReader<DateTime>(type, typeName)
{
    private readonly TimestampScale _scale = new(ticksPerUnit);

    public override DateTime Read(ulong row) => _scale.ToDateTime(((long*)Data)[row], DateTimeKind.Unspecified);

    public override string GetString(ulong row) =>
        Read(row).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
}

/// <summary>TIMESTAMP WITH TIME ZONE: an instant, as <see cref="DateTimeOffset"/> in UTC.</summary>
internal sealed unsafe class TimestampTzVectorReader(string typeName) : VectorReader<DateTimeOffset>(DuckDbType.TimestampTz, typeName)
{
    private static readonly TimestampScale Microseconds = new(TimeSpan.TicksPerMicrosecond);

    public override DateTimeOffset Read(ulong row) => new(Microseconds.ToDateTime(((long*)Data)[row], DateTimeKind.Utc));

    public override string GetString(ulong row) =>
        Read(row).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture).Replace(".+", "+", StringComparison.Ordinal);
}

/// <summary>INTERVAL, as <see cref="DuckDbInterval"/> (laid out as duckdb_interval).</summary>
internal sealed unsafe class IntervalVectorReader(string typeName) : VectorReader<DuckDbInterval>(DuckDbType.Interval, typeName)
{
    public override DuckDbInterval Read(ulong row) => ((DuckDbInterval*)Data)[row];
}

/// <summary>UUID, as <see cref="Guid"/>. DuckDB stores it as a HUGEINT with the top bit flipped so that it sorts.</summary>
internal sealed unsafe class UuidVectorReader(string typeName) : VectorReader<Guid>(DuckDbType.Uuid, typeName)
{
    public override Guid Read(ulong row) => Native.DuckDbUuid.FromHugeInt(((Native.DuckDbHugeInt*)Data)[row]);

    public override string GetString(ulong row) => Read(row).ToString("D");

    public override void WriteJson(Utf8JsonWriter writer, ulong row) => writer.WriteStringValue(GetString(row));
}
