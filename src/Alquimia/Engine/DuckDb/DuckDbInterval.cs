using System.Globalization;
using System.Runtime.InteropServices;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// A DuckDB INTERVAL: months, days and microseconds kept apart, because a month has no fixed length and a day
/// is not always 24 hours across a time-zone change. Converts to <see cref="TimeSpan"/> only when it has no months.
/// </summary>
/// <remarks>Laid out as <c>duckdb_interval</c>, so it crosses the C API as it is.</remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct DuckDbInterval(int Months, int Days, long Micros)
{
    public static DuckDbInterval FromTimeSpan(TimeSpan value) =>
        new(0, value.Days, (value.Ticks - (value.Days * TimeSpan.TicksPerDay)) / TimeSpan.TicksPerMicrosecond);

    /// <summary>The interval as a <see cref="TimeSpan"/>, counting a day as 24 hours.</summary>
    /// <exception cref="InvalidCastException">The interval has months, which have no fixed length.</exception>
    public TimeSpan ToTimeSpan()
    {
        if (Months != 0)
        {
            throw new InvalidCastException(
                $"The interval {this} has {Months} month(s), which have no fixed length; read it as {nameof(DuckDbInterval)} instead of TimeSpan.");
        }

        return TimeSpan.FromDays(Days) + TimeSpan.FromTicks(Micros * TimeSpan.TicksPerMicrosecond);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Months} months {Days} days {Micros} microseconds");
}
