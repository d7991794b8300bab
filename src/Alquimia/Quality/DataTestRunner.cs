using System.Globalization;
using System.Text.Json;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Quality;

/// <summary>How one data test fared: the rows (or groups) that broke it, and a few of their keys.</summary>
/// <param name="Query">The SELECT of what breaks the test, as run.</param>
public sealed record TestOutcome(DataTest Test, string Query, long RowsChecked, long RowsFailed, IReadOnlyList<string> SampleKeys)
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

        var outcomes = Run(build.Connection, build.Model, build.RunId, build.RunStartedAt, result.WrittenRows, build.CancellationToken);
        var errors = outcomes.Where(outcome => outcome.Failed && outcome.Test.Severity == TestSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new QualityException(
                $"{build.Model.Name} was not published: {string.Join("; ", errors.Select(outcome => outcome.Describe()))}. "
                + "The test's severity is error, so the relation keeps its previous contents and the models reading it are skipped; "
                + "fix the data or the model, or set severity: warn.")
            {
                Model = build.Model,
                Expectations = result.Quality,
                Tests = outcomes,
            };
        }

        return result with { Tests = outcomes };
    }

    /// <summary>Runs every test of <paramref name="model"/> on its relation as it is on <paramref name="connection"/>, recording the results under <paramref name="runId"/>.</summary>
    /// <param name="writtenRows">
    /// A condition on the relation's rows that holds for every row a build just wrote (see
    /// <see cref="MaterializationResult.WrittenRows"/>): the tests that judge rows one by one (and <c>unique</c>, for
    /// the keys of those rows) then read only those. Null to test the whole relation.
    /// </param>
    public static List<TestOutcome> Run(CheckedConnection connection, ModelDefinition model, string runId, DateTimeOffset recordedAt, string? writtenRows = null, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<TestOutcome>();
        var columns = RelationCatalog.Columns(connection, model.Name, cancellationToken);
        var rowsInRelation = new Lazy<long>(() => connection.Scalar<long>($"SELECT count(*) FROM {model.Name.Sql}", cancellationToken));
        var rowsWritten = new Lazy<long>(() => connection.Scalar<long>($"SELECT count(*) FROM {model.Name.Sql} WHERE {writtenRows}", cancellationToken));
        foreach (var test in model.Config.Tests)
        {
            var scope = writtenRows is not null && JudgesRowByRow(test) ? writtenRows : null;
            var failing = FailingRows(connection, test, model.Name, scope, columns, recordedAt, cancellationToken);
            var (failed, samples) = connection.Query(
                $"SELECT count(*), CAST(to_json(min(sample, {SampleSize})) AS VARCHAR) FROM ({failing}) AS failing(sample)",
                reader => (reader.GetInt64(0), reader.IsDBNull(1) ? [] : JsonSerializer.Deserialize<List<string>>(reader.GetString(1)) ?? []),
                cancellationToken).Single();
            var outcome = new TestOutcome(test, failing, scope is null ? rowsInRelation.Value : rowsWritten.Value, failed, samples);
            outcomes.Add(outcome);
        }

        QualityResults.Record(connection, model, runId, recordedAt, outcomes, cancellationToken);
        return outcomes;
    }

    /// <summary>
    /// Whether a test judges each row by itself, so that rows which passed it before pass it still: true of
    /// <c>not_null</c>, <c>accepted_values</c> and <c>relationships</c> (as long as the parents stay), and of
    /// <c>unique</c> for the keys of the rows written. An expression, a row count or a freshness is about the whole relation.
    /// </summary>
    private static bool JudgesRowByRow(DataTest test) => test is UniqueTest or NotNullTest or AcceptedValuesTest or RelationshipsTest;

    /// <summary>A SELECT of one text column: a key of each row (or group) that breaks the test.</summary>
    /// <param name="writtenRows">Restricts a row-by-row test to the rows a build wrote (see <see cref="Run"/>); null for all.</param>
    /// <param name="now">What "now" is for freshness: the run's time, so a test reads no clock of its own.</param>
    private static string FailingRows(
        CheckedConnection connection, DataTest test, QualifiedName tested, string? writtenRows, List<ColumnInfo> testedColumns, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (OfTheRelation(test, tested, writtenRows, testedColumns[0].Name) is { } failing)
        {
            return failing;
        }

        switch (test)
        {
            case ExpressionTest expression:
                var sql = expression.Sql.TrimEnd().TrimEnd(';');
                var first = RelationCatalog.DescribeQuery(connection, sql, cancellationToken)[0].Name;
                return $"SELECT {Text(first)} FROM (\n{sql}\n) AS failing_rows";
            case FreshnessTest freshness:
                // Timestamps without a time zone are read as UTC, as Alquimia writes them (_ingestion_timestamp).
                var type = testedColumns.FirstOrDefault(column => string.Equals(column.Name, freshness.Column, StringComparison.OrdinalIgnoreCase))?.Type ?? "TIMESTAMP";
                var newest = $"max({SqlText.Identifier(freshness.Column)})";
                var newestUtc = type.Contains("TIME ZONE", StringComparison.OrdinalIgnoreCase) ? $"timezone('UTC', {newest})" : $"CAST({newest} AS TIMESTAMP)";
                return $"SELECT coalesce(CAST({newest} AS VARCHAR), 'no rows') FROM {Rows(tested, writtenRows)} "
                    + $"HAVING {newest} IS NULL OR {newestUtc} < {SqlText.UtcTimestamp(now)} - CAST({SqlText.Literal(freshness.MaxAge)} AS INTERVAL)";
            default:
                throw new ArgumentOutOfRangeException(nameof(test), test, "Unknown kind of data test.");
        }
    }

    /// <summary>
    /// The failing rows of a test that reads only its relation (and, for relationships, the parent): unique, not_null,
    /// accepted_values, relationships, row_count_between; null for the others, which need the warehouse or a clock.
    /// The Databricks deploy counts the same rows (Deploy/Databricks/DataTestStatements).
    /// </summary>
    /// <param name="keyColumn">The column a failing row of not_null is shown by (the relation's first); null for the tested column.</param>
    internal static string? OfTheRelation(DataTest test, QualifiedName tested, string? writtenRows, string? keyColumn)
    {
        var table = Rows(tested, writtenRows);
        switch (test)
        {
            case UniqueTest unique:
                // As dbt's: NULL is no value, so rows whose key is all NULL are not duplicates of each other. The rows
                // written are checked against the whole relation: the groups of their keys, compared as one row value
                // so that partly NULL keys match as GROUP BY groups them.
                var columns = string.Join(", ", unique.Columns.Select(SqlText.Identifier));
                var notAllNull = string.Join(" OR ", unique.Columns.Select(column => $"{SqlText.Identifier(column)} IS NOT NULL"));
                var ofWrittenKeys = writtenRows is null ? "" : $" AND ({columns}) IN (SELECT ({columns}) FROM {table})";
                return $"SELECT concat_ws(', ', {string.Join(", ", unique.Columns.Select(column => Text(column)))}) FROM {tested.Sql} WHERE ({notAllNull}){ofWrittenKeys} GROUP BY {columns} HAVING count(*) > 1";
            case NotNullTest notNull:
                return $"SELECT {Text(keyColumn ?? notNull.Column)} FROM {table} WHERE {SqlText.Identifier(notNull.Column)} IS NULL";
            case AcceptedValuesTest accepted:
                var values = string.Join(", ", accepted.Values.Select(SqlText.Literal));
                return $"SELECT {Text(accepted.Column)} FROM {table} WHERE {SqlText.Identifier(accepted.Column)} IS NOT NULL AND {Text(accepted.Column)} NOT IN ({values})";
            case RelationshipsTest relationships:
                // NOT IN over the parent's non-NULL values says what NOT EXISTS would, and DuckDB builds its hash table
                // from the parent whatever it estimates. In a build the child is the table just written, which DuckDB
                // takes for empty until the commit: NOT EXISTS built the hash table from the child (V-Credit's 10M-row
                // fact against 11K atendentes: 2.7 s, against 0.15 s this way).
                var parentField = SqlLists.Qualified("parent", relationships.Field);
                return $"SELECT {Text(relationships.Column, "child")} FROM {table} AS child WHERE {SqlLists.Qualified("child", relationships.Column)} IS NOT NULL "
                    + $"AND {SqlLists.Qualified("child", relationships.Column)} NOT IN (SELECT {parentField} FROM {relationships.To.Sql} AS parent WHERE {parentField} IS NOT NULL)";
            case RowCountBetweenTest counts:
                var outside = string.Join(" OR ", new[] { counts.Min is { } min ? $"count(*) < {min}" : null, counts.Max is { } max ? $"count(*) > {max}" : null }.OfType<string>());
                return $"SELECT CAST(count(*) AS VARCHAR) FROM {table} HAVING {outside}";
            default:
                return null;
        }
    }

    private static string Text(string column, string? alias = null) => $"CAST({SqlLists.Qualified(alias, column)} AS VARCHAR)";

    /// <summary>The tested relation, or the rows of it a build wrote.</summary>
    private static string Rows(QualifiedName tested, string? writtenRows) => writtenRows is null ? tested.Sql : $"(SELECT * FROM {tested.Sql} WHERE {writtenRows})";
}
