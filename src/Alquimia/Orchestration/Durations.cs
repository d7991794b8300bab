using System.Globalization;

namespace Alquimia.Orchestration;

/// <summary>Durations as people write them in alquimia.yml: 500ms, 90s, 30m, 1h, 2d.</summary>
internal static class Durations
{
    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalDays: >= 1 } when duration.TotalDays % 1 == 0 => Whole(duration.TotalDays, "d"),
        { TotalHours: >= 1 } when duration.TotalHours % 1 == 0 => Whole(duration.TotalHours, "h"),
        { TotalMinutes: >= 1 } when duration.TotalMinutes % 1 == 0 => Whole(duration.TotalMinutes, "m"),
        { TotalSeconds: >= 1 } => duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s",
        _ => Whole(duration.TotalMilliseconds, "ms"),
    };

    private static string Whole(double value, string unit) => ((long)value).ToString(CultureInfo.InvariantCulture) + unit;
}
