using Alquimia.Projects;

namespace Alquimia.Scheduling;

/// <summary>
/// Hands each job's slots, in time order, to <c>launch</c> (which queues the run) as the clock reaches them. At start,
/// the slots missed since each job's last one are handled by the job's <see cref="CatchUpPolicy"/>; a slot is never
/// handed over twice, and none is skipped unless the policy says so. Time comes from a <see cref="TimeProvider"/>, so
/// that a year of slots can be checked in a test in a second.
/// </summary>
public sealed class JobScheduler
{
    /// <summary>
    /// The longest single wait: the scheduler wakes at least this often and reads the clock again, so that a yearly
    /// schedule does not exceed what a timer holds and a clock set forward is noticed.
    /// </summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private readonly IReadOnlyList<JobDefinition> _jobs;
    private readonly TimeProvider _time;
    private readonly Func<JobSlot, CancellationToken, Task> _launch;
    private readonly Dictionary<string, DateTimeOffset> _last;

    /// <param name="jobs">The project's jobs.</param>
    /// <param name="time">The clock.</param>
    /// <param name="launch">Called with each slot to run, in time order; the next slot waits for it to return.</param>
    /// <param name="lastSlots">Each job's last slot (from the warehouse); a job without one starts from now.</param>
    public JobScheduler(
        IReadOnlyList<JobDefinition> jobs, TimeProvider time, Func<JobSlot, CancellationToken, Task> launch, IReadOnlyDictionary<string, DateTimeOffset>? lastSlots = null)
    {
        _jobs = jobs;
        _time = time;
        _launch = launch;
        var now = time.GetUtcNow();
        _last = jobs.ToDictionary(job => job.Name, job => lastSlots is not null && lastSlots.TryGetValue(job.Name, out var last) ? last : now, StringComparer.Ordinal);
    }

    /// <summary>Raised when the scheduler starts waiting, with the next slot it waits for (null: no job has one, and it stops).</summary>
    public event Action<JobSlot?>? Waiting;

    /// <summary>Each job's last slot handled (run or skipped by its policy).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastSlots => _last;

    /// <summary>Runs until cancelled, or until no job has a slot left.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await LaunchPassedSlots(cancellationToken).ConfigureAwait(false);
            var next = _jobs
                .Select(job => job.Schedule.Next(_last[job.Name], job.TimeZone) is { } at ? JobSlot.Of(job, at) : null)
                .OfType<JobSlot>()
                .MinBy(slot => slot.At);
            if (next is null)
            {
                Waiting?.Invoke(null);
                return;
            }

            // The timer starts before anyone hears that the scheduler waits: a clock moved on at once still wakes it.
            var wait = next.At - _time.GetUtcNow();
            var delay = wait > TimeSpan.Zero ? Task.Delay(wait < LongestWait ? wait : LongestWait, _time, cancellationToken) : Task.CompletedTask;
            Waiting?.Invoke(next);
            await delay.ConfigureAwait(false);
        }
    }

    /// <summary>Every job's slots that the clock has passed, in time order across jobs, as their policies say.</summary>
    private async Task LaunchPassedSlots(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = new List<JobSlot>();
        foreach (var job in _jobs)
        {
            var missed = MissedSlots.Since(job, _last[job.Name], now);
            due.AddRange(missed.Run.Select(at => JobSlot.Of(job, at)));
            if (missed.Through is { } through)
            {
                _last[job.Name] = through;
            }
        }

        foreach (var slot in due.OrderBy(slot => slot.At).ThenBy(slot => slot.Job.Name, StringComparer.Ordinal))
        {
            await _launch(slot, cancellationToken).ConfigureAwait(false);
        }
    }
}
