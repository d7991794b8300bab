using System.Text.RegularExpressions;
using Alquimia.Scheduling;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// A job's cron in Databricks' form: Quartz (<c>quartz_cron_expression</c>), seconds first, Sunday 1, and <c>?</c> in
/// whichever of day-of-month and day-of-week is not restricted. A schedule already written in Quartz's six or seven
/// fields is kept as it is.
/// </summary>
public static partial class QuartzCron
{
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

    /// <summary>The Quartz expression of <paramref name="schedule"/>.</summary>
    /// <exception cref="AlquimiaException">
    /// Both day fields are restricted: Unix cron runs when either matches, Quartz cannot say so.
    /// </exception>
    public static string From(CronSchedule schedule, string job)
    {
        var fields = schedule.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return string.Join(' ', fields);
        }

        var (minute, hour, day, month, weekday) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        var dayRestricted = day != "*";
        var weekdayRestricted = weekday != "*";
        if (dayRestricted && weekdayRestricted)
        {
            throw new AlquimiaException(
                $"Job '{job}' runs at '{schedule.Text}': cron runs it when the day of the month OR the weekday matches, which Quartz (Databricks' schedules) cannot say. "
                + "Write one of the two fields as *, or the schedule in Quartz's six fields (seconds first, ? in one day field).");
        }

        return $"0 {minute} {hour} {(weekdayRestricted ? "?" : day)} {month} {(weekdayRestricted ? Weekdays(weekday) : "?")}";
    }

    /// <summary>Cron's weekday numbers (0 or 7 Sunday) as the names both cron and Quartz read, so that no number is misread.</summary>
    private static string Weekdays(string field) => DayNumber().Replace(field, match => DayNames[int.Parse(match.Value, System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>A weekday number, but not the step after a '/' nor the occurrence after a '#'.</summary>
    [GeneratedRegex(@"(?<![/#\d])[0-7](?!\d)")]
    private static partial Regex DayNumber();
}
