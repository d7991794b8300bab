using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Prometheus;

namespace Alquimia.Server;

/// <summary>
/// What <c>/metrics</c> answers, in Prometheus' text format: the runs and steps the server ran since it started
/// (counters and histograms, which Prometheus' rate() reads across restarts), and, read from the warehouse at each
/// scrape, when each table and job last succeeded, so freshness survives a restart. Each server has a registry of its
/// own: two servers in one process (the tests) do not mix their figures.
/// </summary>
/// <remarks>
/// The job is the label <c>job_name</c>, not <c>job</c>: Prometheus gives <c>job</c> to the scrape target. Runs outside
/// a job (<c>alquimia run</c>, the API) have <c>job_name="(manual)"</c>.
/// </remarks>
public sealed class ServerMetrics : IRunWatcher
{
    private static readonly double[] RunSeconds = [1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
    private static readonly double[] StepSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Counter _runs;
    private readonly Histogram _runDuration;
    private readonly Gauge _runsInProgress;
    private readonly Counter _stepAttempts;
    private readonly Histogram _stepDuration;
    private readonly Counter _rowsInserted;
    private readonly Counter _rowsUpdated;
    private readonly Counter _rowsDeleted;
    private readonly Counter _rowsQuarantined;
    private readonly Counter _qualityChecks;
    private readonly Gauge _invalidRatio;
    private readonly Gauge _tableLastRefresh;
    private readonly Gauge _tableRefreshAge;
    private readonly Gauge _jobLastSuccess;
    private readonly Gauge _queueLength;
    private readonly Counter _reads;
    private readonly Counter _refused;
    private readonly Gauge _slotRetained;
    private readonly Gauge _slotLag;
    private readonly Gauge _slotSafe;
    private readonly Gauge _slotLost;

    public ServerMetrics(Project project, EmbeddedWarehouse warehouse, ServerOptions options)
    {
        var metrics = Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);
        _runs = metrics.CreateCounter("alquimia_runs_total", "Runs ended, by job and status (succeeded, failed, cancelled, not_run).", "job_name", "status");
        _runDuration = metrics.CreateHistogram("alquimia_run_duration_seconds", "How long runs took, start to end, by job.", new HistogramConfiguration
        {
            LabelNames = ["job_name"], Buckets = RunSeconds,
        });
        _runsInProgress = metrics.CreateGauge("alquimia_runs_in_progress", "Runs going on now (0 or 1: the warehouse has one writer).");
        _stepAttempts = metrics.CreateCounter("alquimia_step_attempts_total", "Attempts of steps (model builds, source table syncs), by step and status; a retried failure counts once per attempt.", "step", "status");
        _stepDuration = metrics.CreateHistogram("alquimia_step_duration_seconds", "How long step attempts took, by step and kind (table, incremental, ingest, ...).", new HistogramConfiguration
        {
            LabelNames = ["step", "kind"], Buckets = StepSeconds,
        });
        _rowsInserted = metrics.CreateCounter("alquimia_rows_inserted_total", "Rows inserted by committed steps, by model.", "model");
        _rowsUpdated = metrics.CreateCounter("alquimia_rows_updated_total", "Rows updated by committed steps, by model.", "model");
        _rowsDeleted = metrics.CreateCounter("alquimia_rows_deleted_total", "Rows deleted by committed steps, by model.", "model");
        _rowsQuarantined = metrics.CreateCounter("alquimia_rows_quarantined_total", "Rows put in a model's *_invalidos quarantine (or dropped) by its expectations, by model.", "model");
        _qualityChecks = metrics.CreateCounter("alquimia_quality_checks_total", "Expectations checked on committed builds, by model and result (passed, failed).", "model", "result");
        _invalidRatio = metrics.CreateGauge("alquimia_invalid_ratio", "Share of the rows checked by a model's last build that its expectations quarantined or dropped (0 to 1).", "model");
        _tableLastRefresh = metrics.CreateGauge("alquimia_table_last_refresh_timestamp_seconds", "When each table was last refreshed by a successful step (Unix time), from the warehouse.", "table");
        _tableRefreshAge = metrics.CreateGauge("alquimia_table_refresh_age_seconds", "Seconds since each table was last refreshed by a successful step, from the warehouse.", "table");
        _jobLastSuccess = metrics.CreateGauge("alquimia_job_last_success_timestamp_seconds", "When each job's last successful scheduled run ended (Unix time), from the warehouse.", "job_name");
        _queueLength = metrics.CreateGauge("alquimia_run_queue_length", "Runs waiting for their turn, the running one not included.");
        _reads = metrics.CreateCounter("alquimia_read_cache_requests_total", "Table reads of the API, by result: hit (answered from the cache) or miss (read from the warehouse).", "result");
        _refused = metrics.CreateCounter("alquimia_api_refused_requests_total", "Requests the API refused, by caller (an API key's name, or unknown) and reason (unauthorized, forbidden, rate_limited).", "caller", "reason");

        _slotRetained = metrics.CreateGauge("alquimia_cdc_slot_retained_wal_bytes", "WAL a CDC source's replication slot keeps PostgreSQL from removing, in bytes, read from the database at each scrape.", "source", "slot");
        _slotLag = metrics.CreateGauge("alquimia_cdc_slot_lag_bytes", "WAL written since the position a CDC source's slot was last acknowledged at: what its next sync reads through, in bytes.", "source", "slot");
        _slotSafe = metrics.CreateGauge("alquimia_cdc_slot_safe_wal_bytes", "WAL that can still be written before max_slot_wal_keep_size puts a CDC source's slot in danger of invalidation (absent without a limit).", "source", "slot");
        _slotLost = metrics.CreateGauge("alquimia_cdc_slot_lost", "1 when PostgreSQL invalidated a CDC source's slot (its WAL is gone: run alquimia cdc setup for a new snapshot), else 0.", "source", "slot");
        var capturesChanges = ChangeCapture.HasSources(project);

        Registry.AddBeforeCollectCallback(() =>
        {
            if (capturesChanges)
            {
                foreach (var slot in ChangeCapture.Slots(project))
                {
                    _slotRetained.WithLabels(slot.Source, slot.Slot).Set(slot.RetainedBytes);
                    _slotLag.WithLabels(slot.Source, slot.Slot).Set(slot.LagBytes);
                    _slotLost.WithLabels(slot.Source, slot.Slot).Set(slot.WalStatus == "lost" ? 1 : 0);
                    if (slot.SafeBytes is { } safe)
                    {
                        _slotSafe.WithLabels(slot.Source, slot.Slot).Set(safe);
                    }
                }
            }

            var now = options.Time.GetUtcNow();
            var freshness = Freshness.Read(warehouse);
            foreach (var (table, at) in freshness.Tables)
            {
                _tableLastRefresh.WithLabels(table).Set(at.ToUnixTimeMilliseconds() / 1000.0);
                _tableRefreshAge.WithLabels(table).Set(Math.Max(0, (now - at).TotalSeconds));
            }

            foreach (var (job, at) in freshness.Jobs)
            {
                _jobLastSuccess.WithLabels(job).Set(at.ToUnixTimeMilliseconds() / 1000.0);
            }
        });
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Writes every metric to <paramref name="output"/>, with the queue as <paramref name="queue"/> has it now.</summary>
    public Task ExportAsync(QueuedRuns queue, Stream output, CancellationToken cancellationToken)
    {
        _queueLength.Set(queue.Waiting);
        _runsInProgress.Set(queue.Running is null ? 0 : 1);
        return Registry.CollectAndExportAsTextAsync(output, cancellationToken);
    }

    /// <summary>Counts a table read of the API; the hit ratio is hit / (hit + miss).</summary>
    public void CountRead(bool hit) => _reads.WithLabels(hit ? "hit" : "miss").Inc();

    /// <summary>A refused request: <paramref name="caller"/> is an API key's name (never the key), or <c>unknown</c>.</summary>
    public void CountRefused(string caller, string reason) => _refused.WithLabels(caller, reason).Inc();

    public IRunObserver Watch(RunRequest request) => new RunMetrics(this, request.Job?.Name ?? JobRuns.ManualRun);

    public void NotRun(RunRequest request, Exception reason) => _runs.WithLabels(request.Job?.Name ?? JobRuns.ManualRun, "not_run").Inc();

    private sealed class RunMetrics(ServerMetrics metrics, string job) : IRunObserver
    {
        public void StepFinished(ModelRunRecord record, bool willRetry)
        {
            metrics._stepAttempts.WithLabels(record.Model, record.Status.ToString().ToLowerInvariant()).Inc();
            if (record.Status is RunStatus.Skipped or RunStatus.Cancelled && record.Duration == TimeSpan.Zero)
            {
                return; // never started: no duration to observe
            }

            metrics._stepDuration.WithLabels(record.Model, record.Materialization).Observe(record.Duration.TotalSeconds);
            if (record.Status is not (RunStatus.Succeeded or RunStatus.Warning))
            {
                return;
            }

            metrics._rowsInserted.WithLabels(record.Model).Inc(record.RowsInserted);
            metrics._rowsUpdated.WithLabels(record.Model).Inc(record.RowsUpdated);
            metrics._rowsDeleted.WithLabels(record.Model).Inc(record.RowsDeleted);
            if (record.Quality is { } quality)
            {
                metrics._rowsQuarantined.WithLabels(record.Model).Inc(quality.RowsQuarantined + quality.RowsDropped);
                metrics._invalidRatio.WithLabels(record.Model).Set(quality.InvalidRatio);
                foreach (var rule in quality.Rules)
                {
                    metrics._qualityChecks.WithLabels(record.Model, rule.RowsFailed == 0 ? "passed" : "failed").Inc();
                }
            }
        }

        public void RunFinished(RunSummary summary)
        {
            metrics._runs.WithLabels(job, summary.Run.Status.ToString().ToLowerInvariant()).Inc();
            if (summary.Run.FinishedAt is { } finished)
            {
                metrics._runDuration.WithLabels(job).Observe((finished - summary.Run.StartedAt).TotalSeconds);
            }
        }
    }
}
