using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects.Loading;
using Alquimia.Quality;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Orchestration;

/// <summary>
/// Runs one step with its timeout and retries. Each attempt is one transaction holding the step's data and its
/// model_runs row (and watermark): a crash or failure before the commit leaves nothing of the attempt behind, and
/// the commit never happens without its record. A timeout interrupts the DuckDB query; retries wait twice as long
/// each time.
/// </summary>
internal sealed class StepExecutor(RunContext run)
{
    public async Task<bool> RunAsync(RunStep step, CancellationToken runCancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            run.Observer.StepStarted(step.Name, attempt);
            LogMessages.StepStarted(run.Logger, step.Name, attempt);
            var startedAt = run.Time.GetUtcNow();
            using var timeout = new CancellationTokenSource(step.Timeout, run.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(runCancellation, timeout.Token);
            try
            {
                // An attempt holds its thread until it ends (DuckDB's and the sources' drivers block): a thread of its own,
                // so that max_parallelism steps run at once from the start. On the thread pool, past one thread per core,
                // the others waited for it to grow (a thread every half second or so), and no other work of the process
                // (a part written while the next fills, the server's requests) found a thread either.
                var record = await Task.Factory.StartNew(
                    () => Attempt(step, attempt, startedAt, linked.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                    .ConfigureAwait(false);
                run.Observer.StepFinished(record, willRetry: false);
                return true;
            }
            catch (Exception error) when (runCancellation.IsCancellationRequested)
            {
                LogMessages.StepCancelled(run.Logger, step.Name);
                Record(step, attempt, startedAt, RunStatus.Cancelled, "cancelled by the user", willRetry: false);
                throw new OperationCanceledException($"{step.Name} was cancelled.", error, runCancellation);
            }
            catch (Exception error)
            {
                var timedOut = timeout.IsCancellationRequested;
                var message = timedOut ? $"timed out after {DurationParser.Format(step.Timeout)}; its query was interrupted" : error.Message;
                var willRetry = attempt <= step.Retries && (timedOut || RetryPolicy.IsTransient(error));
                if (error is QualityException stopped)
                {
                    run.RecordStoppedChecks(stopped);
                }

                Record(step, attempt, startedAt, RunStatus.Failed, message, willRetry);
                if (!willRetry)
                {
                    LogMessages.StepFailed(run.Logger, step.Name, attempt, message, error);
                    return false;
                }

                LogMessages.StepRetrying(run.Logger, step.Name, attempt, message);
                await Task.Delay(RetryPolicy.Backoff(run.Settings.RetryBackoff, attempt), run.Time, runCancellation).ConfigureAwait(false);
            }
        }
    }

    private ModelRunRecord Attempt(RunStep step, int attempt, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        using var connection = run.OpenConnection();
        var trace = SqlTrace.BeginSegment(step.Name);
        using var transaction = connection.BeginTransaction();
        var result = step.Build(connection, cancellationToken);
        var status = result.Warnings.Count == 0 ? RunStatus.Succeeded : RunStatus.Warning;
        var record = new ModelRunRecord(run.Run.RunId, step.Name, step.Kind, status, attempt, startedAt, run.Time.GetUtcNow())
        {
            Quality = result.Quality,
            Warning = result.Warnings.Count == 0 ? null : string.Join("; ", result.Warnings),
            RowsInserted = result.RowsInserted,
            RowsUpdated = result.RowsUpdated,
            RowsDeleted = result.RowsDeleted,
        };
        run.Faults.BeforeRecording(step.Name);
        RunLedger.RecordModelRun(connection, record, cancellationToken);
        if (step.WatermarkOwner is { } owner && result.Watermark is { } watermark)
        {
            RunLedger.WriteWatermark(connection, owner, watermark, run.Run.RunId, record.FinishedAt, cancellationToken);
        }

        run.Faults.BeforeCommit(step.Name);
        transaction.Commit();
        trace?.Commit();
        LogMessages.StepCommitted(run.Logger, step.Name, (long)(record.FinishedAt - startedAt).TotalMilliseconds, result.RowsInserted, result.RowsUpdated, result.RowsDeleted);
        if (record.Warning is { } warning)
        {
            LogMessages.StepWarned(run.Logger, step.Name, warning);
        }

        if (QualifiedName.TryParse(step.Name) is { } relation)
        {
            run.Warehouse.NotifyCommitted(relation, run.Run.RunId);
        }

        return record;
    }

    /// <summary>Records a failed, skipped or cancelled step in its own small transaction, as nothing else of it is kept.</summary>
    private void Record(RunStep step, int attempt, DateTimeOffset startedAt, RunStatus status, string error, bool willRetry)
    {
        var record = new ModelRunRecord(run.Run.RunId, step.Name, step.Kind, status, attempt, startedAt, run.Time.GetUtcNow()) { Error = error };
        run.RecordOutcome(record);
        run.Observer.StepFinished(record, willRetry);
    }
}
