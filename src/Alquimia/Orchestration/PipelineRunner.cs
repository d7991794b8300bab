using System.Collections.Concurrent;
using System.Globalization;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Graph;
using Alquimia.Ingestion;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Orchestration;

/// <summary>
/// Runs a project: plans the selected steps, ingests source tables into bronze, builds each model through its
/// materialization with up to max_parallelism at once, and records the run in <c>_alquimia</c>. Only one run at a
/// time may hold a warehouse: a second, in this process or another, is refused with the holder's name.
/// </summary>
public static class PipelineRunner
{
    private static readonly ConcurrentDictionary<string, string> ActiveRuns = new(StringComparer.Ordinal);

    public static async Task<RunSummary> RunAsync(Project project, RunOptions options, IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        observer ??= new NullObserver();
        // A `tables: all` source is listed first: the tables that appeared since the project was written are synced
        // too. A database that cannot be listed stops the run here, naming the source. A replay finds them in the lake.
        project = options.Replay ? SourceDiscovery.DiscoverLanded(project) : SourceDiscovery.Discover(project, cancellationToken);
        var graph = new PipelineGraph(project).Select(options.Selector);
        var time = options.Time;
        var run = new RunRecord(NewRunId(time), project.Name, options.Selector, options.FullRefresh, $"{Environment.MachineName} (PID {Environment.ProcessId})", time.GetUtcNow());
        if (!ActiveRuns.TryAdd(project.WarehousePath, run.RunId))
        {
            throw new WarehouseBusyException(
                $"The warehouse '{project.WarehousePath}' is in use by run {ActiveRuns.GetValueOrDefault(project.WarehousePath)} in this process "
                + $"({run.Holder}). Only one run at a time may write a warehouse; wait for it to finish.");
        }

        try
        {
            using var warehouse = OpenWarehouse(project);
            warehouse.EnsureLayers();
            StateTables.EnsureCreated(warehouse.Connection);
            RunLedger.MarkInterruptedRuns(warehouse.Connection, run.StartedAt);
            run = run with { StartedAt = RunLedger.StartAfterEveryRun(warehouse.Connection, run.StartedAt) };
            RunLedger.StartRun(warehouse.Connection, run);

            var levels = graph.Levels.Select(level => (IReadOnlyList<string>)[.. level.Select(node => node.Name.ToString())]).ToList();
            observer.RunPlanned(run, levels);
            using var context = new RunContext(project, warehouse, run, options, observer);
            var started = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var executor = new StepExecutor(context);
            var nodes = CriticalPath.Order(graph, RunLedger.LastDurations(warehouse.Connection));
            var steps = nodes.ToDictionary(node => node, node => StepFactory.Create(node, context));

            var outcome = await DagExecutor.RunAsync(
                nodes,
                node => graph.Dag.Upstream(node),
                (node, token) =>
                {
                    started[steps[node].Name] = true;
                    return executor.RunAsync(steps[node], token);
                },
                Math.Max(1, project.Settings.MaxParallelism),
                cancellationToken).ConfigureAwait(false);

            foreach (var (node, failed) in outcome.Skipped)
            {
                Record(context, steps[node], RunStatus.Skipped, $"skipped: upstream {failed.Name} failed");
            }

            foreach (var node in outcome.Cancelled.Where(node => !started.ContainsKey(steps[node].Name)))
            {
                Record(context, steps[node], RunStatus.Cancelled, "not started: the run was cancelled");
            }

            var finished = run with
            {
                FinishedAt = time.GetUtcNow(),
                Status = cancellationToken.IsCancellationRequested ? RunStatus.Cancelled
                    : outcome.Failed.Count + outcome.Skipped.Count > 0 ? RunStatus.Failed : RunStatus.Succeeded,
                ModelsSucceeded = outcome.Succeeded.Count,
                ModelsFailed = outcome.Failed.Count,
                ModelsSkipped = outcome.Skipped.Count,
            };
            RunLedger.FinishRun(warehouse.Connection, finished);
            var order = nodes.Select((node, index) => (node.Name.ToString(), index)).ToDictionary(pair => pair.Item1, pair => pair.index);
            var records = RunLedger.ModelRunsOf(warehouse.Connection, run.RunId).OrderBy(record => order.GetValueOrDefault(record.Model, int.MaxValue)).ToList();
            return new RunSummary(finished, levels, records) { Syncs = SourceSyncs.OfRun(warehouse.Connection, run.RunId) };
        }
        finally
        {
            ActiveRuns.TryRemove(project.WarehousePath, out _);
        }
    }

    /// <summary>Opens the project's warehouse with its DuckDB settings; another process holding it is reported by name.</summary>
    internal static EmbeddedWarehouse OpenWarehouse(Project project)
    {
        try
        {
            return EmbeddedWarehouse.Open(project.WarehousePath, project.Settings.Threads, project.Settings.MemoryLimit, project.Settings.StorageVersion);
        }
        catch (DuckDbEngineException error) when (error.Message.Contains("held by another process", StringComparison.Ordinal))
        {
            throw new WarehouseBusyException(error.Message, error);
        }
    }

    private static void Record(RunContext context, RunStep step, RunStatus status, string reason)
    {
        var now = context.Time.GetUtcNow();
        var record = new ModelRunRecord(context.Run.RunId, step.Name, step.Kind, status, 0, now, now) { Error = reason };
        context.RecordOutcome(record);
        context.Observer.StepFinished(record, willRetry: false);
    }

    /// <summary>Sortable and unique enough for one warehouse: the start time to the millisecond plus a random suffix.</summary>
    internal static string NewRunId(TimeProvider time) =>
        time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    private sealed class NullObserver : IRunObserver;
}
