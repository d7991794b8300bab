using Alquimia.Projects;
using Alquimia.Scheduling;
using Alquimia.Warehouse;

namespace Alquimia.Orchestration;

/// <summary>How a job's slot runs: its selection and run date, its timeout and retries over the project's.</summary>
public static class JobRuns
{
    /// <summary>How the metrics and alerts name the runs no job asked for (<c>alquimia run</c>, the API).</summary>
    public const string ManualRun = "(manual)";

    /// <summary>The project as the job runs it: the job's timeout, retries and backoff over the project's.</summary>
    public static Project ProjectFor(Project project, JobDefinition job) => project with
    {
        Settings = project.Settings with
        {
            ModelTimeout = job.Timeout ?? project.Settings.ModelTimeout,
            Retries = job.Retries ?? project.Settings.Retries,
            RetryBackoff = job.RetryBackoff ?? project.Settings.RetryBackoff,
        },
    };

    /// <summary>The run of <paramref name="slot"/>: the job's selection, the slot's run date, the slot recorded with the run.</summary>
    public static RunOptions OptionsFor(JobSlot slot) => new() { Selector = slot.Job.Selector, RunDate = slot.RunDate, Slot = slot };

    /// <summary>The job's slots whose run dates are <paramref name="first"/> to <paramref name="last"/>, included, in order.</summary>
    public static IReadOnlyList<JobSlot> SlotsFor(JobDefinition job, DateOnly first, DateOnly last)
    {
        // A day or so either side, whatever the zone's offset; the run dates decide.
        var after = new DateTimeOffset(first.AddDays(-2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(last.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return [.. job.Schedule.Between(after, until, job.TimeZone).Select(at => JobSlot.Of(job, at)).Where(slot => slot.RunDate >= first && slot.RunDate <= last)];
    }

    /// <summary>
    /// Creates the layers and the state tables when missing, as a run would: a server owns the warehouse from its start,
    /// and answers about runs before it has run any.
    /// </summary>
    public static void Prepare(EmbeddedWarehouse warehouse)
    {
        warehouse.EnsureLayers();
        StateTables.EnsureCreated(warehouse.Connection);
    }

    /// <summary>
    /// The run that ran <paramref name="slot"/> already, as <c>run-id (status)</c>; null when none did. Read on a
    /// connection of its own, beside a run going on.
    /// </summary>
    public static string? RunOf(EmbeddedWarehouse warehouse, JobSlot slot) => warehouse.Read(connection =>
        JobSlots.Exist(connection) && JobSlots.RunOf(connection, slot) is { } run ? $"{run.RunId} ({run.Status ?? "unknown"})" : null);

    /// <summary>Each job's latest slot run, by name: where a server's schedules resume.</summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> LastSlots(EmbeddedWarehouse warehouse) => warehouse.Read(connection =>
        JobSlots.Exist(connection) ? JobSlots.Latest(connection) : new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal));

    /// <summary>The names of the jobs paused: their slots pass without a run until they are resumed.</summary>
    public static IReadOnlySet<string> Paused(EmbeddedWarehouse warehouse) => warehouse.Read(JobStates.Paused);

    /// <summary>When each job paused once was resumed, by name: the slots before it passed on purpose, not missed.</summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> Resumed(EmbeddedWarehouse warehouse) => warehouse.Read(JobStates.Resumed);

    /// <summary>
    /// Pauses or resumes <paramref name="job"/> on a connection of its own, beside a run going on; <paramref name="by"/>
    /// says who asked (the API, the CLI).
    /// </summary>
    public static void SetPaused(EmbeddedWarehouse warehouse, JobDefinition job, bool paused, string by, DateTimeOffset at)
    {
        using var connection = warehouse.OpenConnection();
        StateTables.EnsureCreated(connection);
        JobStates.Set(connection, job.Name, paused, by, at);
    }

    /// <summary>A run of <paramref name="job"/> now, outside its schedule: its selection, for today in its time zone; no slot is recorded.</summary>
    public static RunOptions TriggeredNow(JobDefinition job, DateTimeOffset now) =>
        new() { Selector = job.Selector, RunDate = job.RunDateOf(now) };
}
