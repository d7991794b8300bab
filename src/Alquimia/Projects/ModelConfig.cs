namespace Alquimia.Projects;

/// <summary>
/// A model's configuration, from the YAML block at the top of its SQL file with the project's defaults applied.
/// Each key is documented in docs/projects.md.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>How the result is kept. The default comes from <c>alquimia.yml</c> (<c>table</c> when it says nothing).</summary>
    public required MaterializationKind Materialized { get; init; }

    /// <summary>The columns that identify a row; required by incremental and snapshot models.</summary>
    public IReadOnlyList<string> UniqueKey { get; init; } = [];

    /// <summary>
    /// The output column used to select new rows (incremental, apply_changes): usually an ingestion or update timestamp.
    /// An apply_changes model's defaults to bronze's <c>_ingestion_timestamp</c>.
    /// </summary>
    public string? Watermark { get; init; }

    /// <summary>
    /// How far behind the stored watermark rows are re-read to catch late-arriving data, as a DuckDB interval
    /// (<c>3 days</c>) for temporal watermarks or a number for numeric ones. Null means none.
    /// </summary>
    public string? Lookback { get; init; }

    /// <summary>For delete_insert: the SQL predicate over the model's rows that is deleted and inserted again.</summary>
    public string? Window { get; init; }

    /// <summary>For delete_insert (and tables): rows older than this are deleted after each run. Null keeps everything.</summary>
    public RetentionPolicy? Retention { get; init; }

    /// <summary>
    /// Whether <c>--full-refresh</c> may rebuild the model from its query alone (dbt's <c>full_refresh</c>). Null
    /// takes the default: false for snapshot and delete_insert models, whose past days and versions their query
    /// cannot bring back; true for incremental ones.
    /// </summary>
    public bool? FullRefresh { get; init; }

    /// <summary>
    /// True when the model holds history a rebuild would lose: <c>--full-refresh</c> builds it as a normal run, and
    /// only naming it to have its history dropped rebuilds it (<c>alquimia run --drop-history</c>).
    /// </summary>
    public bool KeepsHistory => !(FullRefresh ?? Materialized is not (MaterializationKind.Snapshot or MaterializationKind.DeleteInsert));

    /// <summary>Columns the data is partitioned by on Databricks; on DuckDB, the order rows are written in.</summary>
    public IReadOnlyList<string> PartitionBy { get; init; } = [];

    /// <summary>For snapshot models: how a changed row is detected.</summary>
    public SnapshotStrategy SnapshotStrategy { get; init; } = SnapshotStrategy.Check;

    /// <summary>For the check strategy: the columns compared; empty compares every column but the key.</summary>
    public IReadOnlyList<string> CheckColumns { get; init; } = [];

    /// <summary>For the timestamp strategy: the column that says when the source row last changed.</summary>
    public string? UpdatedAt { get; init; }

    /// <summary>For apply_changes models: how the change feed is applied; null for every other materialization.</summary>
    public ApplyChangesSettings? ApplyChanges { get; init; }

    /// <summary>What the model holds, for <c>alquimia ls</c> and the docs.</summary>
    public string? Description { get; init; }

    /// <summary>Descriptions of output columns, in the order written.</summary>
    public IReadOnlyList<ColumnDescription> Columns { get; init; } = [];

    /// <summary>Free labels for selection (<c>tag:kpi</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>How long one attempt may run before its query is interrupted. Null uses the project's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many times a failed attempt is retried. Null uses the project's.</summary>
    public int? Retries { get; init; }

    /// <summary>The rules new rows are checked against before they are published, in the order written.</summary>
    public IReadOnlyList<Expectation> Expectations { get; init; } = [];

    /// <summary>True when a rule sends failing rows to the model's <c>_invalidos</c> table.</summary>
    public bool Quarantines => Expectations.Any(rule => rule.Action == ExpectationAction.Quarantine);

    /// <summary>The data tests run on the model's relation after each build and by <c>alquimia test</c>.</summary>
    public IReadOnlyList<DataTest> Tests { get; init; } = [];

    /// <summary>The model's own <c>max_invalid_ratio</c>; null uses the project's (<c>quality:</c> in alquimia.yml).</summary>
    public double? MaxInvalidRatio { get; init; }

    /// <summary>The model's own <c>on_threshold</c>; null uses the project's.</summary>
    public ThresholdAction? OnThreshold { get; init; }

    /// <summary>The threshold that applies to the model: each of the two keys it sets wins over the project's.</summary>
    public QualityThreshold? ThresholdWithin(QualityThreshold? project) =>
        (MaxInvalidRatio ?? project?.MaxInvalidRatio) is { } ratio
            ? new QualityThreshold(ratio, OnThreshold ?? project?.OnCrossing ?? ThresholdAction.Warn)
            : null;
}

/// <summary>Rows whose <paramref name="Column"/> is older than <paramref name="Keep"/> (a DuckDB interval, e.g. <c>90 days</c>) are deleted.</summary>
public sealed record RetentionPolicy(string Column, string Keep);

/// <summary>A documented output column.</summary>
public sealed record ColumnDescription(string Name, string Description);

/// <summary>How a snapshot model decides that a row changed.</summary>
public enum SnapshotStrategy
{
    /// <summary>Compare the check columns with the current version.</summary>
    Check,

    /// <summary>A newer <c>updated_at</c> than the current version's means a change.</summary>
    Timestamp,
}
