using System.Collections.Concurrent;
using System.Globalization;
using Alquimia.Graph;
using Alquimia.Ingestion;
using Alquimia.Lineage;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alquimia.Orchestration;

/// <summary>
/// Runs projects on one warehouse: plans the selected steps, ingests source tables into bronze, builds each model
/// through its materialization with up to max_parallelism at once, and records the run in <c>_alquimia</c>. Runs take
/// the warehouse's writer turn one at a time: a run submitted while another writes waits, or is refused when its
/// options say so.
/// </summary>
public sealed class PipelineRunner(EmbeddedWarehouse warehouse, TimeProvider? time = null, ILogger<PipelineRunner>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger<PipelineRunner>.Instance;

    /// <summary>The warehouse the runs write.</summary>
    public EmbeddedWarehouse Warehouse => warehouse;

    public async Task<RunSummary> RunAsync(Project project, RunOptions options, IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        observer ??= new NullObserver();
        if (!string.Equals(Path.GetFullPath(project.WarehousePath), warehouse.Path, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Project '{project.Name}' writes '{project.WarehousePath}', not this runner's warehouse '{warehouse.Path}'.", nameof(project));
        }

        // A `tables: all` source is listed first: the tables that appeared since the project was written are synced
        // too. A database that cannot be listed stops the run here, naming the source. A replay finds them in the lake.
        project = options.Replay ? SourceDiscovery.DiscoverLanded(project) : SourceDiscovery.Discover(project, cancellationToken);
        var graph = options.Steps is { } only ? new PipelineGraph(project).Select(only) : new PipelineGraph(project).Select(options.Selector);
        var selection = options.Steps is { } named ? string.Join(", ", named) : options.Selector;
        var selectedModels = graph.Levels.SelectMany(level => level).OfType<ModelNode>().Select(node => node.Model).ToList();
        CheckDropHistory(options, selectedModels);
        List<string> historyKept = options.FullRefresh
            ? [.. selectedModels.Where(model => model.Config.KeepsHistory && !options.DropHistory.Contains(model.Name)).Select(model => model.Name.ToString())]
            : [];
        var run = new RunRecord(NewRunId(_time), project.Name, selection, options.FullRefresh, $"{Environment.MachineName} (PID {Environment.ProcessId})", _time.GetUtcNow());
        using var turn = await warehouse.EnterWriterAsync($"run {run.RunId} ({run.Holder})", options.WhenBusy, cancellationToken).ConfigureAwait(false);
        run = run with { StartedAt = _time.GetUtcNow(), RunDate = options.RunDate ?? project.Settings.Today(_time) };
        var connection = warehouse.Connection;
        warehouse.EnsureLayers();
        StateTables.EnsureCreated(connection);
        if (RunLedger.MarkInterruptedRuns(connection, run.StartedAt) is > 0 and var interrupted)
        {
            LogMessages.RunsInterrupted(_logger, interrupted);
        }

        run = run with { StartedAt = RunLedger.StartAfterEveryRun(connection, run.StartedAt) };
        if (options.Slot is { } slot)
        {
            // The slot and the run's start are recorded together: after a crash, a slot either has its run or was never started.
            if (JobSlots.RunOf(connection, slot) is { } earlier)
            {
                throw new AlquimiaException(
                    $"Job '{slot.Job.Name}' already ran its slot of {TimeZoneInfo.ConvertTime(slot.At, slot.Job.TimeZone):yyyy-MM-dd HH:mm:ss zzz} (run date {slot.RunDate:yyyy-MM-dd}) in run {earlier.RunId} "
                    + $"({earlier.Status ?? "unknown"}): a slot runs once. Run it again without the job (alquimia run --run-date {slot.RunDate:yyyy-MM-dd}) if it must.");
            }

            using var start = connection.BeginTransaction();
            RunLedger.StartRun(connection, run);
            JobSlots.Claim(connection, slot, run.RunId, run.StartedAt);
            start.Commit();
        }
        else
        {
            RunLedger.StartRun(connection, run);
        }
        LogMessages.RunStarted(_logger, run.RunId, project.Name, selection ?? "everything", run.RunDate);

        var levels = graph.Levels.Select(level => (IReadOnlyList<string>)[.. level.Select(node => node.Name.ToString())]).ToList();
        // OpenLineage events, when alquimia.yml asks for them: the end of the run waits for their delivery a bounded time.
        await using var lineage = LineageRunObserver.For(project, warehouse, run, _time, _logger);
        observer = lineage is null ? observer : new RunObservers([observer, lineage]);
        observer.RunPlanned(run, levels);
        using var context = new RunContext(project, warehouse, run, options, observer, _time, _logger);
        var started = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var executor = new StepExecutor(context);
        var nodes = CriticalPath.Order(graph, RunLedger.LastDurations(connection));
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

        // A step whose outcome could not be recorded (a full disk) threw out of its executor: the run fails for it.
        var unrecorded = outcome.Errors.Select(pair => $"the outcome of {steps[pair.Key].Name} could not be recorded ({Describe(pair.Value)})").FirstOrDefault();
        RunRecord finished;
        try
        {
            foreach (var (node, failed) in outcome.Skipped)
            {
                Record(context, steps[node], RunStatus.Skipped, $"skipped: upstream {failed.Name} failed");
            }

            foreach (var node in outcome.Cancelled.Where(node => !started.ContainsKey(steps[node].Name)))
            {
                Record(context, steps[node], RunStatus.Cancelled, "not started: the run was cancelled");
            }

            finished = run with
            {
                FinishedAt = _time.GetUtcNow(),
                Status = cancellationToken.IsCancellationRequested ? RunStatus.Cancelled
                    : outcome.Failed.Count + outcome.Skipped.Count > 0 ? RunStatus.Failed : RunStatus.Succeeded,
                ModelsSucceeded = outcome.Succeeded.Count,
                ModelsFailed = outcome.Failed.Count,
                ModelsSkipped = outcome.Skipped.Count,
                Error = unrecorded,
            };
            context.Faults.BeforeRecording(null);
            RunLedger.FinishRun(connection, finished);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Nothing more can be written: say why the run stopped, and how it will be shown.
            throw new AlquimiaException(
                $"Run {run.RunId} stopped: {unrecorded ?? $"its records could not be written ({Describe(error)})"}. Its end could not be recorded either "
                + $"({Describe(error)}): `alquimia status` shows it as interrupted, with the steps that committed, and the next run marks it so. "
                + "Free space or fix the cause, then run again: what committed stays.",
                error);
        }

        LogMessages.RunFinished(_logger, run.RunId, finished.Status, finished.ModelsSucceeded, finished.ModelsFailed, finished.ModelsSkipped);
        var order = nodes.Select((node, index) => (node.Name.ToString(), index)).ToDictionary(pair => pair.Item1, pair => pair.index);
        var records = RunLedger.ModelRunsOf(connection, run.RunId).OrderBy(record => order.GetValueOrDefault(record.Model, int.MaxValue)).ToList();
        var summary = new RunSummary(finished, levels, records) { Syncs = SourceSyncs.OfRun(connection, run.RunId), HistoryKept = historyKept };
        observer.RunFinished(summary);
        return summary;
    }

    /// <summary>A model named to have its history dropped must be one the run builds: a typo must not pass in silence.</summary>
    private static void CheckDropHistory(RunOptions options, IReadOnlyList<ModelDefinition> selected)
    {
        foreach (var name in options.DropHistory.Where(name => !selected.Any(model => model.Name.Equals(name))))
        {
            throw new SelectorException(
                name.ToString(),
                $"--drop-history names {name}, which is not among the models this run builds. Name a selected model (alquimia ls lists them), "
                + "or widen --select to include it.");
        }
    }

    /// <summary>An error as a sentence for a record: DuckDB's message without the statement, which is Alquimia's own bookkeeping.</summary>
    private static string Describe(Exception error) =>
        (error is Warehouse.DuckDb.DuckDbEngineException duckDb ? duckDb.DuckDbMessage : error.Message).Trim().TrimEnd('.');

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
