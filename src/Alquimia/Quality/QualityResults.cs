using System.Text.Json;
using Alquimia.Engine.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Quality;

/// <summary>
/// Writes one row per rule or data test and build to <c>_alquimia.quality_results</c>: in the model's transaction
/// when it publishes, in one of their own when the checks stopped the build (the rollback took the first ones away).
/// </summary>
internal static class QualityResults
{
    public static void Record(DuckDbConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, QualityOutcome outcome, CancellationToken cancellationToken = default)
    {
        foreach (var (rule, result) in model.Config.Expectations.Zip(outcome.Rules))
        {
            Insert(connection, model, runId, recordedAt, (rule.Name, "expectation", ActionName(rule.Action), rule.Expression), outcome.RowsChecked, result.RowsFailed, result.SampleKeys, cancellationToken);
        }
    }

    public static void Record(DuckDbConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, IReadOnlyList<TestOutcome> tests, CancellationToken cancellationToken = default)
    {
        foreach (var test in tests)
        {
            Insert(connection, model, runId, recordedAt, (test.Test.Name, "test", test.Test.Severity.ToString().ToLowerInvariant(), test.Query), test.RowsChecked, test.RowsFailed, test.SampleKeys, cancellationToken);
        }
    }

    public static string ActionName(ExpectationAction action) => action.ToString().ToLowerInvariant();

    private static void Insert(
        DuckDbConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, (string Name, string Kind, string Action, string Definition) rule,
        long rowsChecked, long rowsFailed, IReadOnlyList<string> sampleKeys, CancellationToken cancellationToken) =>
        connection.Execute(
            $"""
            INSERT INTO {StateTables.QualityResults}
                (run_id, model, rule, kind, action, definition, rows_checked, rows_failed, sample_keys, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST(CAST($9 AS JSON) AS VARCHAR[]), $10)
            """,
            cancellationToken, runId, model.Name.ToString(), rule.Name, rule.Kind, rule.Action, rule.Definition,
            rowsChecked, rowsFailed, JsonSerializer.Serialize(sampleKeys), recordedAt);
}
