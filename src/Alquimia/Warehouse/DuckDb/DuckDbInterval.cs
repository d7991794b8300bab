using System.Runtime.InteropServices;
using System.Globalization;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// A DuckDB INTERVAL: months, days and microseconds kept apart, because a month has no fixed length and a day
/// is not always 24 hours across a time-zone change.
/// </summary>
/// <remarks>Laid out as <c>duckdb_interval</c>: the checked appender writes it into a vector as it is.</remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct DuckDbInterval(int Months, int Days, long Micros)
{
    public static DuckDbInterval FromTimeSpan(TimeSpan value) =>
        new(0, value.Days, (value.Ticks - (value.Days * TimeSpan.TicksPerDay)) / TimeSpan.TicksPerMicrosecond);

    /// <summary>As DuckDB writes an interval: <c>1 year 2 months 3 days 04:05:06.5</c>, <c>00:00:00</c> when empty.</summary>
    public override string ToString()
    {
        var parts = new List<string>(4);
        AddUnit(parts, Months / 12, "year");
        AddUnit(parts, Months % 12, "month");
        AddUnit(parts, Days, "day");
        if (Micros != 0 || parts.Count == 0)
        {
            // In whole units, not TimeSpan: DuckDB's microseconds reach past what TimeSpan's ticks hold.
            var magnitude = (ulong)Int128.Abs(Micros);
            var seconds = magnitude / 1_000_000;
            var fraction = magnitude % 1_000_000;
            var digits = fraction == 0 ? "" : "." + fraction.ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0');
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{(Micros < 0 ? "-" : "")}{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}{digits}"));
        }

        return string.Join(' ', parts);
    }

    private static void AddUnit(List<string> parts, int value, string unit)
    {
        if (value != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value} {unit}{(Math.Abs(value) == 1 ? "" : "s")}"));
        }
    }
}
