using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Operations;

/// <summary>One model's checked rows in one run: a point of its quality trend.</summary>
public sealed record ModelQualityPoint(string RunId, DateTimeOffset StartedAt, string Model, long RowsChecked, long RowsQuarantined, long RowsDropped, long RowsWarned);

/// <summary>The quality of every model with expectations over the recent runs: how its quarantined and dropped rows move.</summary>
public static class QualityHistory
{
    /// <summary>The largest number of runs read.</summary>
    public const int MaxRuns = 100;

    /// <summary>
    /// The points of the last <paramref name="runs"/> runs (at most <see cref="MaxRuns"/>), oldest first; a model appears
    /// in a run when the run checked it. Empty before any run.
    /// </summary>
    public static IReadOnlyList<ModelQualityPoint> Read(EmbeddedWarehouse warehouse, int runs = 20) => warehouse.Read(connection =>
        RelationCatalog.KindOf(connection, new(Layer.StateSchema, "model_runs")) == RelationKind.None
            ? []
            : (IReadOnlyList<ModelQualityPoint>)connection.Query(
                $"""
                WITH recent AS (SELECT run_id, started_at FROM {StateTables.Runs} ORDER BY started_at DESC LIMIT $1)
                SELECT step.run_id, recent.started_at, step.model, step.rows_checked, coalesce(step.rows_quarantined, 0),
                       coalesce(step.rows_dropped, 0), coalesce(step.rows_warned, 0)
                FROM {StateTables.ModelRuns} AS step JOIN recent USING (run_id)
                WHERE step.rows_checked IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY step.run_id, step.model ORDER BY step.attempt DESC, step.finished_at DESC) = 1
                ORDER BY recent.started_at, step.model
                """,
                reader => new ModelQualityPoint(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)),
                default, Math.Clamp(runs, 1, MaxRuns)));
}
