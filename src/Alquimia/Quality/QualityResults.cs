using System.Text.Json;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Quality;

/// <summary>
/// Writes one row per rule or data test and build to <c>_alquimia.quality_results</c>: in the model's transaction
/// when it publishes, in one of their own when the checks stopped the build (the rollback took the first ones away).
/// </summary>
internal static class QualityResults
{
    public static void Record(CheckedConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, QualityOutcome outcome, CancellationToken cancellationToken = default) =>
        Insert(
            connection,
            model,
            runId,
            recordedAt,
            [.. model.Config.Expectations.Zip(outcome.Rules, (rule, result) =>
                new ResultRow(rule.Name, "expectation", ActionName(rule.Action), rule.Expression, outcome.RowsChecked, result.RowsFailed, result.SampleKeys))],
            cancellationToken);

    public static void Record(CheckedConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, IReadOnlyList<TestOutcome> tests, CancellationToken cancellationToken = default) =>
        Insert(
            connection,
            model,
            runId,
            recordedAt,
            [.. tests.Select(test =>
                new ResultRow(test.Test.Name, "test", test.Test.Severity.ToString().ToLowerInvariant(), test.Query, test.RowsChecked, test.RowsFailed, test.SampleKeys))],
            cancellationToken);

    public static string ActionName(ExpectationAction action) => action.ToString().ToLowerInvariant();

    /// <summary>Every row in one statement: a model has a handful of rules and tests, and each statement costs about a millisecond.</summary>
    private static void Insert(CheckedConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, IReadOnlyList<ResultRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // $1-$10 for the first row, $11-$20 for the second, ...
        var tuples = rows.Select((_, index) => index * 10).Select(n =>
            $"(${n + 1}, ${n + 2}, ${n + 3}, ${n + 4}, ${n + 5}, ${n + 6}, ${n + 7}, ${n + 8}, CAST(CAST(${n + 9} AS JSON) AS VARCHAR[]), ${n + 10})");
        var values = rows.SelectMany(row => new object?[]
        {
            runId, model.Name.ToString(), row.Name, row.Kind, row.Action, row.Definition, row.RowsChecked, row.RowsFailed, JsonSerializer.Serialize(row.SampleKeys), recordedAt,
        }).ToArray();
        connection.Execute(
            $"""
            INSERT INTO {StateTables.QualityResults}
                (run_id, model, rule, kind, action, definition, rows_checked, rows_failed, sample_keys, recorded_at)
            VALUES {string.Join(", ", tuples)}
            """,
            cancellationToken,
            values);
    }

    private sealed record ResultRow(string Name, string Kind, string Action, string Definition, long RowsChecked, long RowsFailed, IReadOnlyList<string> SampleKeys);
}
