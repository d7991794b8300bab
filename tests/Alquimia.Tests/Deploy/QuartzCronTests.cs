using Alquimia.Deploy.Databricks;
using Alquimia.Scheduling;

namespace Alquimia.Tests.Deploy;

/// <summary>A job's cron as Databricks' Quartz expression: seconds first, Sunday 1 (written as names), ? in the free day field.</summary>
public sealed class QuartzCronTests
{
    [Theory]
    [InlineData("0 6 * * *", "0 0 6 * * ?")]                  // seed 004: 06:00 every day
    [InlineData("0 2 * * *", "0 0 2 * * ?")]                  // seed 003: 02:00 UTC
    [InlineData("30 7 * * 1-5", "0 30 7 ? * MON-FRI")]
    [InlineData("0 8 * * 0,6", "0 0 8 ? * SUN,SAT")]
    [InlineData("0 8 * * 7", "0 0 8 ? * SUN")]
    [InlineData("0 8 * * 1#2", "0 0 8 ? * MON#2")]
    [InlineData("*/15 8-18 * * 1-5/2", "0 */15 8-18 ? * MON-FRI/2")]
    [InlineData("0 3 1 * *", "0 0 3 1 * ?")]
    [InlineData("0 3 L * *", "0 0 3 L * ?")]
    [InlineData("0 0 2 * * ?", "0 0 2 * * ?")]                // already Quartz: kept
    [InlineData("0 0 2 ? * MON 2027", "0 0 2 ? * MON 2027")]
    public void ACron_IsWrittenInQuartz(string cron, string quartz)
    {
        Assert.Equal(quartz, QuartzCron.From(CronSchedule.TryParse(cron, out var error) ?? throw new InvalidOperationException(error), "diario"));
    }

    /// <summary>Each translation runs at the same moments as the cron it came from, over a year in São Paulo.</summary>
    [Theory]
    [InlineData("30 7 * * 1-5")]
    [InlineData("0 8 * * 0,6")]
    [InlineData("*/15 8-18 * * 1-5/2")]
    [InlineData("0 8 * * 1#2")]
    public void ATranslation_RunsWhenItsCronRuns(string cron)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var original = CronSchedule.TryParse(cron, out _)!;
        var translated = CronSchedule.TryParse(QuartzCron.From(original, "diario"), out var error) ?? throw new InvalidOperationException(error);

        Assert.Equal(original.Between(from, from.AddYears(1), zone), translated.Between(from, from.AddYears(1), zone));
    }

    [Fact]
    public void BothDayFields_AreRefused_WithTheFix()
    {
        var error = Assert.Throws<AlquimiaException>(() => QuartzCron.From(CronSchedule.TryParse("0 6 1 * 1", out _)!, "mensal"));

        Assert.Contains("Job 'mensal' runs at '0 6 1 * 1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Write one of the two fields as *", error.Message, StringComparison.Ordinal);
    }
}
