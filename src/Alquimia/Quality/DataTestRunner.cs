using System.Globalization;
using System.Text.Json;
using Alquimia.Engine.DuckDb;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Quality;

/// <summary>How one data test fared: the rows (or groups) that broke it, and a few of their keys.</summary>
public sealed record TestOutcome(DataTest Test, long RowsChecked, long RowsFailed, IReadOnlyList<string> SampleKeys)
{
    public bool Failed => RowsFailed > 0;

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"test {Test.Name} failed on {RowsFailed:N0} of {RowsChecked:N0} rows (e.g. {string.Join(", ", SampleKeys)})");
}

/// <summary>
/// Runs a model's data tests against its relation and records each result in <c>_alquimia.quality_results</c>. In a
/// build they run inside the model's transaction, after the write and before the commit: an error-severity failure
/// throws, the transaction rolls back, and readers never see the data that failed.
/// </summary>
public static class DataTestRunner
{
    private const int SampleSize = 5;

    /// <summary>Runs the tests of <paramref name="build"/>'s model on what it just wrote; throws when an error-severity test fails.</summary>
    internal static MaterializationResult AfterBuild(ModelBuild build, MaterializationResult result)
    {
        if (build.Model.Config.Tests.Count == 0)
        {
            return result;
        }

        var outcomes = Run(build.Connection, build.Model, build.RunId, build.RunStartedAt, build.CancellationToken);
        var errors = outcomes.Where(outcome => outcome.Failed && outcome.Test.Severity == TestSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new QualityException(
                $"{build.Model.Name} was not published: {string.Join("; ", errors.Select(outcome => outcome.Describe()))}. "
                + "The test's severity is error, so the relation keeps its previous contents and the models reading it are skipped; "
                + "fix the data or the model, or set severity: warn.");
        }

        return result with { Tests = outcomes };
    }

    /// <summary>Runs every test of <paramref name="model"/> on its relation as it is on <paramref name="connection"/>, recording the results under <paramref name="runId"/>.</summary>
    public static List<TestOutcome> Run(DuckDbConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<TestOutcome>();
        var rowsChecked = connection.Scalar<long>($"SELECT count(*) FROM {model.Name.Sql}", cancellationToken);
        var firstColumn = RelationCatalog.Columns(connection, model.Name, cancellationToken)[0].Name;
        foreach (var test in model.Config.Tests)
        {
            var failing = FailingRows(connection, test, model.Name, firstColumn, cancellationToken);
            var (failed, samples) = connection.Query(
                $"SELECT count(*), CAST(to_json(min(sample, {SampleSize})) AS VARCHAR) FROM ({failing}) AS failing(sample)",
                reader => (reader.GetInt64(0), reader.IsDBNull(1) ? [] : JsonSerializer.Deserialize<List<string>>(reader.GetString(1)) ?? []),
                cancellationToken).Single();
            var outcome = new TestOutcome(test, rowsChecked, failed, samples);
            connection.Execute(
                $"""
                INSERT INTO {StateTables.QualityResults}
                    (run_id, model, rule, kind, action, definition, rows_checked, rows_failed, sample_keys, recorded_at)
                VALUES ($1, $2, $3, 'test', $4, $5, $6, $7, CAST(CAST($8 AS JSON) AS VARCHAR[]), $9)
                """,
                cancellationToken, runId, model.Name.ToString(), test.Name, test.Severity.ToString().ToLowerInvariant(), failing,
                rowsChecked, failed, JsonSerializer.Serialize(samples), recordedAt);
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    /// <summary>A SELECT of one text column: a key of each row (or group) that breaks the test.</summary>
    private static string FailingRows(DuckDbConnection connection, DataTest test, QualifiedName tested, string firstColumn, CancellationToken cancellationToken)
    {
        static string Text(string column, string? alias = null) => $"CAST({SqlLists.Qualified(alias, column)} AS VARCHAR)";
        var table = tested.Sql;
        switch (test)
        {
            case UniqueTest unique:
                var columns = string.Join(", ", unique.Columns.Select(QualifiedName.Quote));
                return $"SELECT concat_ws(', ', {string.Join(", ", unique.Columns.Select(column => Text(column)))}) FROM {table} GROUP BY {columns} HAVING count(*) > 1";
            case NotNullTest notNull:
                return $"SELECT {Text(firstColumn)} FROM {table} WHERE {QualifiedName.Quote(notNull.Column)} IS NULL";
            case AcceptedValuesTest accepted:
                var values = string.Join(", ", accepted.Values.Select(value => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'"));
                return $"SELECT {Text(accepted.Column)} FROM {table} WHERE {QualifiedName.Quote(accepted.Column)} IS NOT NULL AND {Text(accepted.Column)} NOT IN ({values})";
            case RelationshipsTest relationships:
                return $"SELECT {Text(relationships.Column, "child")} FROM {table} AS child WHERE {SqlLists.Qualified("child", relationships.Column)} IS NOT NULL "
                    + $"AND NOT EXISTS (SELECT 1 FROM {relationships.To.Sql} AS parent WHERE {SqlLists.Qualified("parent", relationships.Field)} = {SqlLists.Qualified("child", relationships.Column)})";
            case ExpressionTest expression:
                var sql = expression.Sql.TrimEnd().TrimEnd(';');
                var first = RelationCatalog.DescribeQuery(connection, sql, cancellationToken)[0].Name;
                return $"SELECT {Text(first)} FROM (\n{sql}\n) AS failing_rows";
            case RowCountBetweenTest counts:
                var outside = string.Join(" OR ", new[] { counts.Min is { } min ? $"count(*) < {min}" : null, counts.Max is { } max ? $"count(*) > {max}" : null }.OfType<string>());
                return $"SELECT CAST(count(*) AS VARCHAR) FROM {table} HAVING {outside}";
            case FreshnessTest freshness:
                var newest = $"max({QualifiedName.Quote(freshness.Column)})";
                return $"SELECT coalesce(CAST({newest} AS VARCHAR), 'no rows') FROM {table} "
                    + $"HAVING {newest} IS NULL OR CAST({newest} AS TIMESTAMPTZ) < now() - CAST('{freshness.MaxAge.Replace("'", "''", StringComparison.Ordinal)}' AS INTERVAL)";
            default:
                throw new ArgumentOutOfRangeException(nameof(test), test, "Unknown kind of data test.");
        }
    }
}
