using System.Threading.Channels;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alquimia.Server;

/// <summary>A run asked for: what to run, and where its outcome goes.</summary>
public sealed record RunRequest(Project Project, RunOptions Options, string RequestedBy)
{
    internal TaskCompletionSource<RunSummary> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The request's own id, which the API answers with and is asked about.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The run's summary once it has run; faulted when it could not start (a slot run already).</summary>
    public Task<RunSummary> Completion => Outcome.Task;

    /// <summary>The job the run is for (a slot of it, or a trigger); null for a run asked for without one.</summary>
    public JobDefinition? Job { get; init; }

    /// <summary><c>waiting</c>, <c>running</c>, <c>finished</c> (the run ended, whatever its status) or <c>not_run</c>.</summary>
    public string State { get; internal set; } = "waiting";
}

/// <summary>Told of every run the server runs, as it goes: the metrics, the alerts.</summary>
public interface IRunWatcher
{
    /// <summary>The observer of <paramref name="request"/>'s run, made as it starts.</summary>
    IRunObserver Watch(RunRequest request);

    /// <summary><paramref name="request"/> did not run: it could not start (a slot run already, a source not listed) or the server stopped.</summary>
    void NotRun(RunRequest request, Exception reason) { }
}

/// <summary>
/// The server's runs, one at a time, in the order they were asked for: the warehouse has one writer, and a run that
/// waited its turn starts as soon as the one before it ends. Stopping the server cancels the running one, which
/// records itself as cancelled; the queued ones are not started.
/// </summary>
public sealed class QueuedRuns(PipelineRunner runner, IEnumerable<IRunWatcher> watchers, ILogger<QueuedRuns> logger) : BackgroundService
{
    private readonly Channel<RunRequest> _requests = Channel.CreateUnbounded<RunRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunRequest> _byId = new(StringComparer.Ordinal);
    private int _waiting;

    /// <summary>Runs waiting for their turn, the running one not included.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>The run going on, if any: what it runs and who asked for it.</summary>
    public RunRequest? Running { get; private set; }

    /// <summary>Puts <paramref name="request"/> at the end of the queue; its <see cref="RunRequest.Completion"/> says how it ended.</summary>
    public RunRequest Enqueue(RunRequest request)
    {
        _byId[request.Id] = request;
        Interlocked.Increment(ref _waiting);
        if (!_requests.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _waiting);
            request.State = "not_run";
            request.Outcome.TrySetException(new InvalidOperationException("The server is stopping: no run is taken any more."));
        }

        return request;
    }

    /// <summary>The request of that id, asked for since the server started; null when there is none.</summary>
    public RunRequest? Find(string id) => _byId.GetValueOrDefault(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _waiting);
                Running = request;
                request.State = "running";
                try
                {
                    var observer = new RunObservers([.. watchers.Select(watcher => watcher.Watch(request))]);
                    var summary = await runner.RunAsync(request.Project, request.Options, observer, stoppingToken).ConfigureAwait(false);
                    request.State = "finished";
                    request.Outcome.TrySetResult(summary);
                }
                catch (Exception error)
                {
                    // Whatever one run throws, the queue goes on: a long-running server does not stop for one request.
                    ServerLog.RunNotRun(logger, request.RequestedBy, error.Message);
                    request.State = "not_run";
                    foreach (var watcher in watchers)
                    {
                        watcher.NotRun(request, error);
                    }

                    request.Outcome.TrySetException(error);
                }
                finally
                {
                    Running = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _requests.Writer.TryComplete();
            while (_requests.Reader.TryRead(out var left))
            {
                left.State = "not_run";
                left.Outcome.TrySetCanceled(CancellationToken.None);
            }
        }
    }
}
