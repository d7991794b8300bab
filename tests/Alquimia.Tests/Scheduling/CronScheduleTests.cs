using Alquimia.Scheduling;

namespace Alquimia.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo SaoPaulo = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");

    [Fact]
    public void FiveFields_AreUnixCron_InTheJobsTimeZone()
    {
        var schedule = Parse("0 6 * * *");

        var next = schedule.Next(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), SaoPaulo);

        // 06:00 in São Paulo (UTC-3) on the 8th: 09:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void SixFields_AreQuartzs_WithSecondsFirst_AndSundayAsOne()
    {
        // Databricks' "every Monday at 02:00:30": in Quartz 2 is Monday, where Unix cron's 2 is Tuesday.
        var schedule = Parse("30 0 2 ? * 2");

        var next = schedule.Next(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

        Assert.Equal(new DateTimeOffset(2026, 12, 14, 2, 0, 30, TimeSpan.Zero), next);
        Assert.Equal(DayOfWeek.Monday, next!.Value.DayOfWeek);
        Assert.Equal(DayOfWeek.Friday, Parse("0 0 2 ? * 2-6").Between(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 13, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc).Last().DayOfWeek);
        Assert.Equal(DayOfWeek.Sunday, Parse("0 0 2 ? * 1#1").Next(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc)!.Value.DayOfWeek);
    }

    [Fact]
    public void SevenFields_KeepTheirYears()
    {
        var schedule = Parse("0 0 2 1 1 ? 2028-2029");

        Assert.Equal(
            [new DateTimeOffset(2028, 1, 1, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2029, 1, 1, 2, 0, 0, TimeSpan.Zero)],
            schedule.Between(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
        Assert.Null(schedule.Next(new DateTimeOffset(2029, 6, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("0 6 * *", "it has 4 fields: write five (minute hour day month weekday, e.g. 0 6 * * *) or Quartz's six or seven")]
    [InlineData("0 0 6 ? * 8", "Quartz's days of the week are 1 (Sunday) to 7 (Saturday), not 8")]
    [InlineData("0 0 6 * * ? 20x7", "its year field '20x7' should be *, a year (2027), a range (2027-2030) or a list of those")]
    [InlineData("0 25 * * *", "Hours")]
    public void AnExpressionThatIsNotCron_SaysWhy(string text, string reason)
    {
        Assert.Null(CronSchedule.TryParse(text, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static CronSchedule Parse(string text) => CronSchedule.TryParse(text, out var error) ?? throw new InvalidOperationException(error);
}
