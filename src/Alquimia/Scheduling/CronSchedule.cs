using System.Text;
using System.Text.RegularExpressions;
using Cronos;

namespace Alquimia.Scheduling;

/// <summary>
/// A job's schedule: a cron expression, read by Cronos, which computes occurrences in a time zone the way a scheduler
/// must across daylight saving (Quartz would bring a whole scheduler, threads and job store, where only this is needed).
/// Five fields are Unix cron's (<c>0 6 * * *</c>, Sunday 0 or 7); six or seven are Quartz's, as Databricks Jobs write
/// them (<c>0 0 2 * * ?</c>: seconds first, Sunday 1, and an optional year).
/// </summary>
/// <remarks>
/// Across daylight saving, a time that a spring-forward skips (02:30 in New York in March) runs once, at the moment
/// the clocks jump, and a time that a fall-back repeats (01:30 in November) runs once, at its first occurrence: a
/// daily job runs every day exactly once. Expressions with a step within the hour (<c>*/15 * * * *</c>) run in both
/// repeated hours, as the wall clock shows them.
/// </remarks>
public sealed partial class CronSchedule
{
    /// <summary>How far ahead a year field is searched for its next allowed year before the schedule is taken as ended.</summary>
    private const int YearsSearched = 200;

    private readonly CronExpression _expression;
    private readonly YearField? _years;

    private CronSchedule(string text, CronExpression expression, YearField? years)
    {
        Text = text;
        _expression = expression;
        _years = years;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The schedule of <paramref name="text"/>, or null with the reason in <paramref name="error"/>.</summary>
    public static CronSchedule? TryParse(string text, out string? error)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        error = null;
        try
        {
            switch (fields.Length)
            {
                case 5:
                    return new CronSchedule(text, CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard), null);
                case 6 or 7:
                    var years = fields.Length == 7 ? YearField.Parse(fields[6]) : null;
                    if (fields.Length == 7 && years is null)
                    {
                        error = $"its year field '{fields[6]}' should be *, a year (2027), a range (2027-2030) or a list of those";
                        return null;
                    }

                    fields[5] = QuartzDaysOfWeek(fields[5]);
                    return new CronSchedule(text, CronExpression.Parse(string.Join(' ', fields[..6]), CronFormat.IncludeSeconds), years);
                default:
                    error = $"it has {fields.Length} fields: write five (minute hour day month weekday, e.g. 0 6 * * *) or Quartz's six or seven (second first, e.g. 0 0 2 * * ?)";
                    return null;
            }
        }
        catch (CronFormatException format)
        {
            error = format.Message.TrimEnd('.');
            return null;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in <paramref name="zone"/>; null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var from = after;
        while (_expression.GetNextOccurrence(from, zone) is { } next)
        {
            var year = TimeZoneInfo.ConvertTime(next, zone).Year;
            if (_years is null || _years.Allows(year))
            {
                return next;
            }

            if (_years.NextAllowed(year) is not { } allowed || allowed > after.Year + YearsSearched)
            {
                return null;
            }

            // On to the start of the next allowed year, in the zone: each turn moves to a later year.
            var start = new DateTime(allowed, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            from = new DateTimeOffset(start, zone.GetUtcOffset(start)).AddTicks(-1);
        }

        return null;
    }

    /// <summary>The occurrences after <paramref name="after"/> up to <paramref name="until"/> included, in order.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until, TimeZoneInfo zone)
    {
        var current = after;
        while (Next(current, zone) is { } next && next <= until)
        {
            yield return next;
            current = next;
        }
    }

    public override string ToString() => Text;

    /// <summary>
    /// Quartz numbers the days of the week from Sunday = 1; Cronos, as Unix cron, from Sunday = 0. A number in the
    /// field is a day unless it follows <c>#</c> (the week of the month) or <c>/</c> (a step).
    /// </summary>
    private static string QuartzDaysOfWeek(string field)
    {
        var shifted = new StringBuilder();
        foreach (Match token in DayOfWeekTokens().Matches(field))
        {
            var text = token.Value;
            var isDay = text.Length > 0 && char.IsDigit(text[0]) && (token.Index == 0 || field[token.Index - 1] is not ('#' or '/'));
            if (isDay && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var day))
            {
                if (day is < 1 or > 7)
                {
                    throw new CronFormatException($"Quartz's days of the week are 1 (Sunday) to 7 (Saturday), not {day}");
                }

                shifted.Append((day - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                shifted.Append(text);
            }
        }

        return shifted.ToString();
    }

    [GeneratedRegex(@"\d+|\D")]
    private static partial Regex DayOfWeekTokens();

    /// <summary>Quartz's seventh field: the years a schedule runs in.</summary>
    private sealed class YearField
    {
        private readonly List<(int From, int To)> _ranges;

        private YearField(List<(int From, int To)> ranges)
        {
            _ranges = ranges;
        }

        public static YearField? Parse(string field)
        {
            if (field is "*" or "?")
            {
                return new YearField([(1, 9999)]);
            }

            var ranges = new List<(int, int)>();
            foreach (var item in field.Split(','))
            {
                var bounds = item.Split('-');
                if (bounds.Length is < 1 or > 2 || !bounds.All(bound => int.TryParse(bound, System.Globalization.CultureInfo.InvariantCulture, out var year) && year is >= 1970 and <= 2199))
                {
                    return null;
                }

                var from = int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
                var to = int.Parse(bounds[^1], System.Globalization.CultureInfo.InvariantCulture);
                if (to < from)
                {
                    return null;
                }

                ranges.Add((from, to));
            }

            return new YearField(ranges);
        }

        public bool Allows(int year) => _ranges.Any(range => year >= range.From && year <= range.To);

        public int? NextAllowed(int year)
        {
            var later = _ranges.Where(range => range.To > year).Select(range => Math.Max(range.From, year + 1)).ToList();
            return later.Count == 0 ? null : later.Min();
        }
    }
}
