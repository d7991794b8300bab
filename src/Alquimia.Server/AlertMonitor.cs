using System.Threading.Channels;
using Alquimia.Alerts;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alquimia.Server;

/// <summary>
/// Hosts the <see cref="AlertEvaluator"/> in the server: the runs' observers and its clock only post work to one loop,
/// which calls the evaluator in order, so a run is never slowed by a channel. Deadlines are timers set when a run
/// starts, so a run over its limit is reported while it still runs. A stopping server still sends, for at most
/// <see cref="DrainTime"/>, what was posted before it stopped (the last run's failure).
/// </summary>
public sealed class AlertMonitor(Project project, EmbeddedWarehouse warehouse, AlertChannels channels, ServerOptions options, ILogger<AlertMonitor> logger)
    : BackgroundService, IRunWatcher
{
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(10);

    private readonly AlertEvaluator _alerts = new(project, warehouse, channels, options.Time, logger);
    private readonly Channel<Func<CancellationToken, Task>> _work = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, List<ITimer>> _deadlines = new(StringComparer.Ordinal);

    public IRunObserver Watch(RunRequest request) => _alerts.HasRules ? new RunAlerts(this, request.Job?.Name, request.Options.Slot?.At) : new Silent();

    public void NotRun(RunRequest request, Exception reason)
    {
        if (_alerts.HasRules && reason is not OperationCanceledException)
        {
            Post(token => _alerts.RunNotStarted(request.Job?.Name, request.RequestedBy, reason, token));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_alerts.HasRules)
        {
            return;
        }

        _alerts.Start();
        // Stopping ends the intake but not the loop: what was posted before is still sent, for at most DrainTime.
        using var drain = new CancellationTokenSource();
        using var stopping = stoppingToken.Register(() =>
        {
            _work.Writer.TryComplete();
            drain.CancelAfter(DrainTime);
        });
        using var clock = options.Time.CreateTimer(_ => Post(_alerts.CheckClock), null, TimeSpan.Zero, AlertEvaluator.CheckEvery);
        await foreach (var work in _work.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await work(drain.Token).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                ServerLog.AlertCheckFailed(logger, channels.Redact(error.Message));
            }
        }

        foreach (var timer in _deadlines.Values.SelectMany(timers => timers))
        {
            timer.Dispose();
        }
    }

    private void Post(Func<CancellationToken, Task> work) => _work.Writer.TryWrite(work);

    private void RunStarted(RunRecord run, string? job, DateTimeOffset? slot)
    {
        var now = options.Time.GetUtcNow();
        _deadlines[run.RunId] = [.. _alerts.RunStarted(run, job, slot).Select(deadline => options.Time.CreateTimer(
            _ => Post(token => _alerts.DeadlinePassed(deadline.Rule, run, job, slot, token)), null,
            deadline.Due > now ? deadline.Due - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan))];
    }

    private Task RunEnded(RunSummary summary, string? job, CancellationToken token)
    {
        if (_deadlines.Remove(summary.Run.RunId, out var timers))
        {
            timers.ForEach(timer => timer.Dispose());
        }

        return _alerts.RunEnded(summary, job, token);
    }

    /// <summary>A run's events, posted to the loop.</summary>
    private sealed class RunAlerts(AlertMonitor monitor, string? job, DateTimeOffset? slot) : IRunObserver
    {
        public void RunPlanned(RunRecord run, IReadOnlyList<IReadOnlyList<string>> levels) => monitor.Post(_ =>
        {
            monitor.RunStarted(run, job, slot);
            return Task.CompletedTask;
        });

        public void StepFinished(ModelRunRecord record, bool willRetry)
        {
            if (willRetry)
            {
                monitor.Post(token => monitor._alerts.StepRetried(record, job, token));
            }
        }

        public void RunFinished(RunSummary summary) => monitor.Post(token => monitor.RunEnded(summary, job, token));
    }

    private sealed class Silent : IRunObserver;
}
