using Alquimia.Projects;
using Alquimia.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Alquimia.Tests.Scheduling;

/// <summary>
/// The scheduler over simulated years on a fake clock, in time zones whose clocks jump: every day's slot is handed
/// over once, never twice, never skipped, with the day's run date; and the slots missed while no server ran follow
/// the job's catch-up policy.
/// </summary>
public sealed class JobSchedulerTests
{
    [Theory]
    [InlineData("America/New_York", 2026, "0 2 * * *")]   // 02:00 does not exist on 2026-03-08
    [InlineData("America/New_York", 2026, "30 1 * * *")]  // 01:30 happens twice on 2026-11-01
    [InlineData("Europe/Lisbon", 2026, "30 1 * * *")]     // 01:30 is skipped on 2026-03-29, repeated on 2026-10-25
    [InlineData("America/Sao_Paulo", 2018, "0 0 * * *")]  // midnight did not exist on 2018-11-04, when daylight saving began
    [InlineData("America/Sao_Paulo", 2026, "0 6 * * *")]  // no daylight saving since 2019
    public async Task ADailyJob_OverAYear_RunsEachDayOnce_WithThatDaysRunDate(string zoneId, int year, string cron)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var job = Job("diario", cron, zone);
        var start = new DateTimeOffset(new DateTime(year, 1, 1), zone.GetUtcOffset(new DateTime(year, 1, 1)));
        var end = start.AddYears(1);

        // From one second before the year to one second before the next: a slot at midnight is each day's own.
        var slots = await Simulate([job], start.AddSeconds(-1), end.AddSeconds(-1));

        var days = Enumerable.Range(0, DateOnly.FromDateTime(end.DateTime).DayNumber - DateOnly.FromDateTime(start.DateTime).DayNumber)
            .Select(day => DateOnly.FromDateTime(start.DateTime).AddDays(day)).ToList();
        Assert.Equal(days, slots.Select(slot => slot.RunDate));
        Assert.Equal(slots.Count, slots.Select(slot => slot.At).Distinct().Count());
        Assert.All(slots, slot => Assert.Equal(slot.RunDate, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(slot.At, zone).DateTime)));
    }

    [Fact]
    public async Task AJobEveryQuarterHour_RunsBothRepeatedHoursOfAFallBack_AndNeverTwiceAtOneInstant()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var start = new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero);

        var slots = await Simulate([Job("quinze", "*/15 * * * *", zone)], start, start.AddDays(2));

        // Every 15 minutes of real time through 48 hours, the repeated hour of 2026-11-01 included (once at -04:00, once at -05:00).
        Assert.Equal(48 * 4, slots.Count);
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second.At - pair.First.At));
        Assert.Equal(2, slots.Count(slot => TimeZoneInfo.ConvertTime(slot.At, zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) == "2026-11-01 01:30"));
    }

    [Theory]
    [InlineData(CatchUpPolicy.All, new[] { "2026-12-04", "2026-12-05", "2026-12-06" })]
    [InlineData(CatchUpPolicy.Latest, new[] { "2026-12-06" })]
    [InlineData(CatchUpPolicy.None, new string[0])]
    public async Task SlotsMissedWhileNoServerRan_FollowTheJobsPolicy_ThenTheNextSlotRuns(CatchUpPolicy policy, string[] expected)
    {
        var job = Job("diario", "0 6 * * *", TimeZoneInfo.Utc) with { CatchUp = policy };
        var lastRun = new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);
        var restart = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

        var slots = await Simulate([job], restart, new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero), new Dictionary<string, DateTimeOffset> { ["diario"] = lastRun });

        Assert.Equal([.. expected, "2026-12-07"], slots.Select(slot => slot.RunDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ASlotSeenWithinTheGrace_RunsEvenWhenMissedSlotsAreSkipped()
    {
        var job = Job("diario", "0 6 * * *", TimeZoneInfo.Utc) with { CatchUp = CatchUpPolicy.None };
        var restart = new DateTimeOffset(2026, 12, 6, 6, 2, 0, TimeSpan.Zero);

        var slots = await Simulate([job], restart, restart.AddMinutes(1), new Dictionary<string, DateTimeOffset> { ["diario"] = restart.AddDays(-3) });

        Assert.Equal([new DateOnly(2026, 12, 6)], slots.Select(slot => slot.RunDate));
    }

    [Fact]
    public async Task TwoJobs_AreHandedOverInTimeOrder()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var start = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(-3));

        var slots = await Simulate([Job("crm", "0 6 * * *", zone), Job("radar", "0 2 * * *", TimeZoneInfo.Utc)], start, start.AddDays(2));

        Assert.Equal(["crm 2026-12-07", "radar 2026-12-08", "crm 2026-12-08", "radar 2026-12-09"], slots.Select(slot => $"{slot.Job.Name} {slot.RunDate:yyyy-MM-dd}"));
    }

    /// <summary>Runs the scheduler on a fake clock from <paramref name="start"/>, moving the clock to each slot it waits for, until <paramref name="end"/>.</summary>
    private static async Task<List<JobSlot>> Simulate(
        IReadOnlyList<JobDefinition> jobs, DateTimeOffset start, DateTimeOffset end, IReadOnlyDictionary<string, DateTimeOffset>? lastSlots = null)
    {
        var clock = new FakeTimeProvider(start.ToUniversalTime());
        var launched = new List<JobSlot>();
        var scheduler = new JobScheduler(jobs, clock, (slot, _) => { launched.Add(slot); return Task.CompletedTask; }, lastSlots);
        var waiting = new SemaphoreSlim(0);
        JobSlot? next = null;
        scheduler.Waiting += slot => { next = slot; waiting.Release(); };
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        while (true)
        {
            var signalled = waiting.WaitAsync(TimeSpan.FromSeconds(10));
            if (await Task.WhenAny(signalled, running) == running)
            {
                await running;
            }

            Assert.True(await signalled, "the scheduler stopped waiting for the clock");
            if (next is null || next.At > end)
            {
                break;
            }

            // In UTC: FakeTimeProvider keeps the offset it is given, and counts its timers in that offset's ticks.
            clock.SetUtcNow(next.At.ToUniversalTime());
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        return launched;
    }

    private static JobDefinition Job(string name, string cron, TimeZoneInfo zone) =>
        new(name, 1, CronSchedule.TryParse(cron, out var error) ?? throw new InvalidOperationException(error), zone);
}
