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

    /// <summary>The run's summary once it has run; faulted when it could not start (a slot run already).</summary>
    public Task<RunSummary> Completion => Outcome.Task;
}

/// <summary>
/// The server's runs, one at a time, in the order they were asked for: the warehouse has one writer, and a run that
/// waited its turn starts as soon as the one before it ends. Stopping the server cancels the running one, which
/// records itself as cancelled; the queued ones are not started.
/// </summary>
public sealed class QueuedRuns(PipelineRunner runner, ILogger<QueuedRuns> logger) : BackgroundService
{
    private readonly Channel<RunRequest> _requests = Channel.CreateUnbounded<RunRequest>(new UnboundedChannelOptions { SingleReader = true });
    private int _waiting;

    /// <summary>Runs waiting for their turn, the running one not included.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>The run going on, if any: what it runs and who asked for it.</summary>
    public RunRequest? Running { get; private set; }

    /// <summary>Puts <paramref name="request"/> at the end of the queue; its <see cref="RunRequest.Completion"/> says how it ended.</summary>
    public RunRequest Enqueue(RunRequest request)
    {
        Interlocked.Increment(ref _waiting);
        if (!_requests.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _waiting);
            request.Outcome.TrySetException(new InvalidOperationException("The server is stopping: no run is taken any more."));
        }

        return request;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _waiting);
                Running = request;
                try
                {
                    request.Outcome.TrySetResult(await runner.RunAsync(request.Project, request.Options, cancellationToken: stoppingToken).ConfigureAwait(false));
                }
                catch (Exception error) when (error is AlquimiaException or OperationCanceledException)
                {
                    ServerLog.RunNotRun(logger, request.RequestedBy, error.Message);
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
                left.Outcome.TrySetCanceled(CancellationToken.None);
            }
        }
    }
}
