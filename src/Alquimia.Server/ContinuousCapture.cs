using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alquimia.Server;

/// <summary>
/// Syncs each CDC source whose file says <c>continuous:</c>, with every model downstream of it (its apply_changes
/// models), in micro-batches: one run of <c>source:&lt;name&gt;+</c> after another on the run queue, at least every
/// <c>every</c>, and at once after one that landed <c>max_changes</c> (the stream has more). A failing micro-batch is
/// tried again after a wait that doubles up to 5 minutes, so a database that is down is not hammered.
/// </summary>
public sealed class ContinuousCapture(Project project, QueuedRuns queue, ServerOptions options, ILogger<ContinuousCapture> logger) : BackgroundService
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ChangeCapture.Continuous(project).Select(source => Loop(source, stoppingToken)));

    private async Task Loop(ContinuousSource source, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = options.Time.GetUtcNow();
            var request = queue.Enqueue(new RunRequest(project, new RunOptions { Selector = $"source:{source.Source}+" }, $"continuous {source.Source}"));
            long landed = 0;
            try
            {
                var summary = await request.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
                failures = summary.Run.Status is RunStatus.Succeeded or RunStatus.Warning ? 0 : failures + 1;
                landed = summary.Steps.Where(step => step.Materialization == "ingest").Sum(step => step.RowsInserted);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is InvalidOperationException or AlquimiaException or OperationCanceledException)
            {
                failures++;
                ServerLog.RunNotRun(logger, request.RequestedBy, error.Message);
            }

            var wait = failures > 0
                ? TimeSpan.FromTicks(Math.Min(LongestBackoff.Ticks, source.Every.Ticks << Math.Min(failures, 20)))
                : source.MaxChanges is { } most && landed >= most ? TimeSpan.Zero : source.Every - (options.Time.GetUtcNow() - started);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, options.Time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
