using Alquimia.Scheduling;

namespace Alquimia.Projects;

/// <summary>
/// A job of alquimia.yml: a selection of the pipeline run on a schedule (seed 004's <c>0 6 * * *</c> in
/// America/Sao_Paulo), with its own timeout, retries and what to do about the slots missed while no server ran.
/// </summary>
/// <param name="Name">The job's name, unique in the project.</param>
/// <param name="Line">The line of alquimia.yml where it is declared.</param>
/// <param name="Schedule">When it runs.</param>
/// <param name="TimeZone">The zone its schedule is read in: the job's <c>timezone</c>, else the project's.</param>
public sealed record JobDefinition(string Name, int Line, CronSchedule Schedule, TimeZoneInfo TimeZone)
{
    /// <summary>What it runs, in <c>--select</c>'s syntax; null for the whole pipeline.</summary>
    public string? Selector { get; init; }

    /// <summary>A step's timeout for its runs; null for the project's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A failed step's retries for its runs; null for the project's.</summary>
    public int? Retries { get; init; }

    /// <summary>The wait before the first retry, doubled for each next one; null for the project's.</summary>
    public TimeSpan? RetryBackoff { get; init; }

    /// <summary>What happens to the slots that passed while no server ran.</summary>
    public CatchUpPolicy CatchUp { get; init; } = CatchUpPolicy.Latest;

    /// <summary>The run date of the slot at <paramref name="slot"/>: its date in the job's time zone, which <c>run_date()</c> returns.</summary>
    public DateOnly RunDateOf(DateTimeOffset slot) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(slot, TimeZone).DateTime);
}
