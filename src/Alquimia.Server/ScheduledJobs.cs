using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Scheduling;
using Alquimia.Warehouse;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alquimia.Server;

/// <summary>
/// Runs the project's jobs on their schedules: each slot becomes a run on the <see cref="QueuedRuns"/>, with the job's
/// selection, run date, timeout and retries. It resumes from each job's last slot run (<c>_alquimia.job_slots</c>), so
/// a restart catches up by the job's policy and no slot runs twice.
/// </summary>
public sealed class ScheduledJobs(Project project, EmbeddedWarehouse warehouse, QueuedRuns queue, ServerOptions options, ILogger<ScheduledJobs> logger) : BackgroundService
{
    /// <summary>The scheduler, once started: its jobs' last slots.</summary>
    public JobScheduler? Scheduler { get; private set; }

    /// <summary>True once the schedules run: the scheduler waits for a slot (or the project has no jobs).</summary>
    public bool IsScheduling => project.Jobs.Count == 0 || _waitedOnce;

    private volatile bool _waitedOnce;

    /// <summary>The slot the scheduler waits for, every slot before it handled; null before it starts or when none is left.</summary>
    public JobSlot? WaitingFor { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (project.Jobs.Count == 0)
        {
            return Task.CompletedTask;
        }

        Scheduler = new JobScheduler(project.Jobs, options.Time, Launch, JobRuns.LastSlots(warehouse));
        Scheduler.Waiting += slot =>
        {
            WaitingFor = slot;
            _waitedOnce = true;
            if (slot is not null && logger.IsEnabled(LogLevel.Information))
            {
                ServerLog.NextSlot(logger, slot.Job.Name, slot.At, slot.Job.TimeZone.Id, slot.RunDate);
            }
        };
        return Scheduler.RunAsync(stoppingToken);
    }

    private Task Launch(JobSlot slot, CancellationToken cancellationToken)
    {
        if (JobRuns.Paused(warehouse).Contains(slot.Job.Name))
        {
            ServerLog.SlotPaused(logger, slot.Job.Name, slot.RunDate);
            return Task.CompletedTask;
        }

        if (JobRuns.RunOf(warehouse, slot) is { } earlier)
        {
            ServerLog.SlotRanAlready(logger, slot.Job.Name, slot.RunDate, earlier);
            return Task.CompletedTask;
        }

        queue.Enqueue(new RunRequest(JobRuns.ProjectFor(project, slot.Job), JobRuns.OptionsFor(slot), $"job {slot.Job.Name}") { Job = slot.Job });
        return Task.CompletedTask;
    }
}
