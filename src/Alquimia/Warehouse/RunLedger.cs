using Alquimia.Warehouse.DuckDb;
using Alquimia.Quality;

namespace Alquimia.Warehouse;

/// <summary>
/// Reads and writes the <c>_alquimia</c> state tables. Writers take the caller's connection so the records join
/// whatever transaction is open there: a model's run record and watermark commit with the model's data.
/// </summary>
public static class RunLedger
{
    public static void StartRun(CheckedConnection connection, RunRecord run) =>
        connection.Execute(
            $"INSERT INTO {StateTables.Runs} (run_id, project, selector, full_refresh, holder, started_at, status, run_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            default, run.RunId, run.Project, run.Selector, run.FullRefresh, run.Holder, run.StartedAt, Name(RunStatus.Running), run.RunDate);

    /// <summary>
    /// <paramref name="now"/>, or a microsecond after the latest start recorded when the clock says otherwise (it was set
    /// back, or a test's clock stands still): a run's start stamps the rows it writes (<c>_loaded_at</c>), and a
    /// downstream model reads the stamps past the last run it saw.
    /// </summary>
    public static DateTimeOffset StartAfterEveryRun(CheckedConnection connection, DateTimeOffset now)
    {
        var latest = connection.Scalar<DateTimeOffset?>($"SELECT max(started_at) FROM {StateTables.Runs}");
        var start = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)); // DuckDB keeps microseconds
        return latest is { } previous && previous >= start ? previous.AddTicks(TimeSpan.TicksPerMicrosecond) : start;
    }

    /// <summary>
    /// Marks runs still "running" as interrupted: called by a run holding the warehouse, so no process is left that
    /// could finish them. Their committed steps stay; nothing uncommitted survived them.
    /// </summary>
    public static int MarkInterruptedRuns(CheckedConnection connection, DateTimeOffset now) =>
        connection.Execute(
            $"UPDATE {StateTables.Runs} SET status = $1, finished_at = $2, error = coalesce(error, $4) WHERE status = $3",
            default, Name(RunStatus.Interrupted), now, Name(RunStatus.Running),
            "its process stopped before it could record its end (a crash, a kill, or a full disk); the steps that committed stay");

    public static void FinishRun(CheckedConnection connection, RunRecord run) =>
        connection.Execute(
            $"UPDATE {StateTables.Runs} SET finished_at = $2, status = $3, models_succeeded = $4, models_failed = $5, models_skipped = $6, error = $7 WHERE run_id = $1",
            default, run.RunId, run.FinishedAt, Name(run.Status), run.ModelsSucceeded, run.ModelsFailed, run.ModelsSkipped, run.Error);

    public static void RecordModelRun(CheckedConnection connection, ModelRunRecord record, CancellationToken cancellationToken = default) =>
        connection.Execute(
            $"""
            INSERT INTO {StateTables.ModelRuns}
                (run_id, model, materialization, status, attempt, started_at, finished_at, duration_ms, rows_inserted, rows_updated, rows_deleted, error,
                 rows_checked, rows_quarantined, rows_dropped, rows_warned, rows_released, warning)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            """,
            cancellationToken, record.RunId, record.Model, record.Materialization, Name(record.Status), record.Attempt, record.StartedAt, record.FinishedAt,
            (long)record.Duration.TotalMilliseconds, record.RowsInserted, record.RowsUpdated, record.RowsDeleted, record.Error,
            record.Quality?.RowsChecked, record.Quality?.RowsQuarantined, record.Quality?.RowsDropped, record.Quality?.RowsWarned, record.Quality?.RowsReleased, record.Warning);

    public static StoredWatermark? ReadWatermark(CheckedConnection connection, string model) =>
        connection.Query(
            $"SELECT column_name, value, value_type FROM {StateTables.Watermarks} WHERE model = $1",
            reader => new StoredWatermark(reader.GetString(0), reader.GetString(1), reader.GetString(2)),
            default, model).FirstOrDefault();

    public static void WriteWatermark(CheckedConnection connection, string model, StoredWatermark watermark, string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        connection.Execute($"DELETE FROM {StateTables.Watermarks} WHERE model = $1", cancellationToken, model);
        connection.Execute(
            $"INSERT INTO {StateTables.Watermarks} (model, column_name, value, value_type, run_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            cancellationToken, model, watermark.Column, watermark.Value, watermark.Type, runId, at);
    }

    /// <summary>Forgets a model's watermark (a full refresh, or a model that no longer keeps one).</summary>
    public static void ClearWatermark(CheckedConnection connection, string model, CancellationToken cancellationToken = default) =>
        connection.Execute($"DELETE FROM {StateTables.Watermarks} WHERE model = $1", cancellationToken, model);

    /// <summary>The newest runs first.</summary>
    public static List<RunRecord> RecentRuns(CheckedConnection connection, int count) =>
        connection.Query(
            $"""
            SELECT run_id, project, selector, full_refresh, holder, started_at, finished_at, status, models_succeeded, models_failed, models_skipped,
                coalesce(run_date, CAST(timezone('UTC', started_at) AS DATE)), error
            FROM {StateTables.Runs} ORDER BY started_at DESC LIMIT $1
            """,
            reader => new RunRecord(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5))
            {
                FinishedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                Status = Parse(reader.GetString(7)),
                ModelsSucceeded = reader.IsDBNull(8) ? 0 : reader.GetInt32(8),
                ModelsFailed = reader.IsDBNull(9) ? 0 : reader.GetInt32(9),
                ModelsSkipped = reader.IsDBNull(10) ? 0 : reader.GetInt32(10),
                RunDate = reader.GetFieldValue<DateOnly>(11),
                Error = reader.IsDBNull(12) ? null : reader.GetString(12),
            },
            default, count);

    /// <summary>True when <paramref name="runId"/> is a run of this warehouse.</summary>
    public static bool HasRun(CheckedConnection connection, string runId) =>
        connection.Scalar<bool>($"SELECT count(*) > 0 FROM {StateTables.Runs} WHERE run_id = $1", default, runId);

    /// <summary>The model runs of one run, one row per model: its last attempt.</summary>
    public static List<ModelRunRecord> ModelRunsOf(CheckedConnection connection, string runId) =>
        connection.Query(
            $"""
            SELECT {ModelRunColumns}
            FROM {StateTables.ModelRuns} WHERE run_id = $1
            QUALIFY row_number() OVER (PARTITION BY model ORDER BY attempt DESC, finished_at DESC) = 1
            ORDER BY started_at, model
            """,
            ReadModelRun, default, runId);

    /// <summary>Each step's latest attempt, whatever run it was in (a run of a selection leaves the others' as they were), by step name.</summary>
    public static Dictionary<string, ModelRunRecord> LatestModelRuns(CheckedConnection connection) =>
        connection.Query(
            $"""
            SELECT {ModelRunColumns}
            FROM {StateTables.ModelRuns}
            QUALIFY row_number() OVER (PARTITION BY model ORDER BY finished_at DESC, attempt DESC) = 1
            """,
            ReadModelRun)
        .ToDictionary(step => step.Model, StringComparer.Ordinal);

    private const string ModelRunColumns =
        """
        run_id, model, materialization, status, attempt, started_at, finished_at, rows_inserted, rows_updated, rows_deleted, error,
               rows_checked, rows_quarantined, rows_dropped, rows_warned, warning, rows_released
        """;

    private static ModelRunRecord ReadModelRun(System.Data.Common.DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), Parse(reader.GetString(3)), reader.GetInt32(4),
            reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6))
        {
            RowsInserted = reader.GetInt64(7),
            RowsUpdated = reader.GetInt64(8),
            RowsDeleted = reader.GetInt64(9),
            Error = reader.IsDBNull(10) ? null : reader.GetString(10),
            // The per-rule figures are in quality_results; the run keeps the totals.
            Quality = reader.IsDBNull(11) ? null : new QualityOutcome(reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), [])
            {
                RowsReleased = reader.IsDBNull(16) ? 0 : reader.GetInt64(16),
            },
            Warning = reader.IsDBNull(15) ? null : reader.GetString(15),
        };

    /// <summary>How long each step took the last time it succeeded, by step name.</summary>
    public static Dictionary<string, TimeSpan> LastDurations(CheckedConnection connection) =>
        connection.Query(
            $"""
            SELECT model, duration_ms FROM {StateTables.ModelRuns}
            WHERE status IN ('succeeded', 'warning')
            QUALIFY row_number() OVER (PARTITION BY model ORDER BY finished_at DESC) = 1
            """,
            reader => (Model: reader.GetString(0), Duration: TimeSpan.FromMilliseconds(reader.GetInt64(1))))
        .ToDictionary(pair => pair.Model, pair => pair.Duration, StringComparer.Ordinal);

    /// <summary>When each step last succeeded (its relation last refreshed), by step name.</summary>
    public static Dictionary<string, DateTimeOffset> LastSuccesses(CheckedConnection connection) =>
        connection.Query(
            $"SELECT model, max(finished_at) FROM {StateTables.ModelRuns} WHERE status IN ('succeeded', 'warning') GROUP BY model",
            reader => (Model: reader.GetString(0), At: reader.GetFieldValue<DateTimeOffset>(1)))
        .ToDictionary(pair => pair.Model, pair => pair.At, StringComparer.Ordinal);

    /// <summary>Every stored watermark, by model.</summary>
    public static List<(string Model, StoredWatermark Watermark)> Watermarks(CheckedConnection connection) =>
        connection.Query(
            $"SELECT model, column_name, value, value_type FROM {StateTables.Watermarks} ORDER BY model",
            reader => (reader.GetString(0), new StoredWatermark(reader.GetString(1), reader.GetString(2), reader.GetString(3))));

    private static string Name(RunStatus status) => status.ToString().ToLowerInvariant();

    private static RunStatus Parse(string status) => Enum.Parse<RunStatus>(status, ignoreCase: true);
}
