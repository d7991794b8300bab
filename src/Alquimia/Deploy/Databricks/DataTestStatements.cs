using Alquimia.Projects;
using Alquimia.Quality;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// A model's data tests as the statements of a task after its own: each counts the rows that break the test, as
/// <c>alquimia test</c> finds them, and an error-severity test fails the task with <c>raise_error</c>, naming the model,
/// the test and how many rows break it. A warning is only counted, in the task's output. The queries are written in
/// DuckDB's SQL and printed in Spark's, as the models are (<see cref="SparkSqlPrinter"/>).
/// </summary>
public static class DataTestStatements
{
    /// <summary>The statements of <paramref name="model"/>'s test task; empty when it has no tests.</summary>
    /// <exception cref="UnportableSqlException">An expression test's SQL has no Spark form.</exception>
    public static IReadOnlyList<string> Of(ModelDefinition model, SparkSqlPrinter printer)
    {
        if (model.Config.Tests.Count == 0)
        {
            return [];
        }

        var name = model.Name.ToString();
        return [ModelStatements.UseCatalog, .. model.Config.Tests.Select(test => Statement(model, test, test is FreshnessTest freshness
            ? Stale(model, freshness)
            : printer.Print(FailingRows(model.Name, test), name)))];
    }

    /// <summary>
    /// The freshness test in Spark SQL itself (DuckDB's intervals have no printed form): the newest value older than the
    /// allowed age, both read in UTC, Databricks' session zone unless a workspace changes it, as Alquimia writes times.
    /// </summary>
    private static string Stale(ModelDefinition model, FreshnessTest freshness)
    {
        var column = SparkSqlPrinter.Identifier(freshness.Column);
        var age = ModelStatements.Interval(freshness.MaxAge) ?? throw new UnportableSqlException(
            model.Name.ToString(), freshness.Line, $"the freshness age '{freshness.MaxAge}'", "write it as a number and a unit, e.g. 2 days or 36 hours");
        return $"SELECT max({column}) AS newest\nFROM {ModelStatements.TableName(model.Name)}\n"
            + $"HAVING max({column}) IS NULL OR CAST(max({column}) AS TIMESTAMP_NTZ) < CAST(current_timestamp() AS TIMESTAMP_NTZ) - {age}";
    }

    private static string Statement(ModelDefinition model, DataTest test, string failingRows)
    {
        var counted = $"SELECT count(*) AS failing FROM (\n{failingRows}\n) AS failing_rows";
        var label = SparkSqlPrinter.StringLiteral($"{model.Name}: data test {test.Name}");
        return test.Severity == TestSeverity.Error
            ? $"SELECT raise_error(concat({label}, ' failed on ', failing, ' row(s)')) AS test\nFROM (\n{counted}\n) AS result\nWHERE failing > 0"
            : $"SELECT {label} AS test, failing AS warned_rows\nFROM (\n{counted}\n) AS result";
    }

    /// <summary>The rows that break <paramref name="test"/>, in DuckDB's SQL: the same query <c>alquimia test</c> runs.</summary>
    private static string FailingRows(QualifiedName tested, DataTest test) =>
        test is ExpressionTest expression
            ? expression.Sql.TrimEnd().TrimEnd(';')
            : DataTestRunner.OfTheRelation(test, tested, writtenRows: null, keyColumn: null)
                ?? throw new ArgumentOutOfRangeException(nameof(test), test, "A data test that reads more than its relation.");
}
