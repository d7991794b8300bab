using Alquimia.Projects;

namespace Alquimia.Scheduling;

/// <summary>One run a job's schedule asks for: the job, the slot's instant, and the run date the run gets.</summary>
public sealed record JobSlot(JobDefinition Job, DateTimeOffset At, DateOnly RunDate)
{
    public static JobSlot Of(JobDefinition job, DateTimeOffset at) => new(job, at, job.RunDateOf(at));
}
