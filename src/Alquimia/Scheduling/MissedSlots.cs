using Alquimia.Projects;

namespace Alquimia.Scheduling;

/// <summary>The slots of a job that passed since its last one, and which of them to run.</summary>
/// <param name="Run">The slots to run, oldest first.</param>
/// <param name="Through">The latest slot that passed, run or not: the job's last slot from now on; null when none passed.</param>
public sealed record MissedSlots(IReadOnlyList<DateTimeOffset> Run, DateTimeOffset? Through)
{
    /// <summary>
    /// How late a slot may be seen and still count as on time, not missed: a server busy or restarting for a moment
    /// still runs the slot it was about to run, whatever the job's <see cref="CatchUpPolicy"/>.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The slots after <paramref name="last"/> (the job's last slot, or when it was first scheduled) up to
    /// <paramref name="now"/>, and those of them the job's <see cref="JobDefinition.CatchUp"/> says to run.
    /// </summary>
    public static MissedSlots Since(JobDefinition job, DateTimeOffset last, DateTimeOffset now)
    {
        var passed = job.Schedule.Between(last, now, job.TimeZone).ToList();
        if (passed.Count == 0)
        {
            return new MissedSlots([], null);
        }

        IReadOnlyList<DateTimeOffset> run = job.CatchUp switch
        {
            CatchUpPolicy.All => passed,
            CatchUpPolicy.Latest => [passed[^1]],
            _ => [.. passed.Where(slot => now - slot <= Grace)],
        };
        return new MissedSlots(run, passed[^1]);
    }
}
