using System.Globalization;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Durations as written in YAML: a whole number followed by a unit, <c>500ms</c>, <c>90s</c>, <c>30m</c>, <c>1h</c>
/// or <c>2d</c>. No spaces, no fractions, no combinations (<c>1h30m</c> is written <c>90m</c>). Messages write
/// durations back the same way (<see cref="Format"/>).
/// </summary>
internal static class DurationParser
{
    /// <summary>The units, for messages.</summary>
    public const string Units = "ms, s, m, h or d (e.g. 500ms, 90s, 30m, 1h, 2d)";

    /// <summary>The duration <paramref name="text"/> names, or null when it is not of the form above.</summary>
    public static TimeSpan? TryParse(string text)
    {
        var trimmed = text.Trim();
        var digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }

        if (digits == 0 ||
            !long.TryParse(trimmed.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        try
        {
            return trimmed[digits..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>A duration as a user would write it: the largest whole unit (<c>30m</c>, <c>2d</c>), else seconds (<c>1.5s</c>).</summary>
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
