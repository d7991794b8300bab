using Alquimia.Quality;

namespace Alquimia.Warehouse;

/// <summary>How a run or a model run ended.</summary>
public enum RunStatus
{
    /// <summary>Still going (or its process died: no later record says otherwise).</summary>
    Running,

    /// <summary>Everything it was asked to do was done.</summary>
    Succeeded,

    /// <summary>It failed; nothing of the failed attempt was kept.</summary>
    Failed,

    /// <summary>A model not run because an upstream failed.</summary>
    Skipped,

    /// <summary>Stopped by the user (Ctrl-C) or never started because of that.</summary>
    Cancelled,

    /// <summary>A model published, but its data crossed a quality threshold (max_invalid_ratio) set to warn.</summary>
    Warning,

    /// <summary>A run whose process ended before it finished (a crash, a kill); found and marked by the next run.</summary>
    Interrupted,
}

/// <summary>One row of <c>_alquimia.runs</c>.</summary>
public sealed record RunRecord(string RunId, string Project, string? Selector, bool FullRefresh, string Holder, DateTimeOffset StartedAt)
{
    /// <summary>The day the run is for: run_date() in its models' SQL.</summary>
    public DateOnly RunDate { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public RunStatus Status { get; init; } = RunStatus.Running;

    public int ModelsSucceeded { get; init; }

    public int ModelsFailed { get; init; }

    public int ModelsSkipped { get; init; }

    /// <summary>Why the run failed beyond its steps' own errors (a step whose outcome could not be recorded); null otherwise.</summary>
    public string? Error { get; init; }
}

/// <summary>One row of <c>_alquimia.model_runs</c>: one attempt of one model (or one source table's ingestion).</summary>
public sealed record ModelRunRecord(string RunId, string Model, string Materialization, RunStatus Status, int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
{
    public long RowsInserted { get; init; }

    public long RowsUpdated { get; init; }

    public long RowsDeleted { get; init; }

    /// <summary>The error of a failed attempt, or why the model was skipped.</summary>
    public string? Error { get; init; }

    /// <summary>What the model's expectations found in its new rows; null when it has none (or for ingestion).</summary>
    public QualityOutcome? Quality { get; init; }

    /// <summary>Why a model run is marked "warning": a crossed quality threshold, failed warn-severity tests.</summary>
    public string? Warning { get; init; }

    public TimeSpan Duration => FinishedAt - StartedAt;
}
