using System.Text.Json;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// Spark SQL's syntax, checked by dt-sql-parser's SparkSQL grammar (ANTLR, built from Spark's own) in Node.js:
/// tests/spark-sql-check, installed from the npm registry by scripts/test-servers.sh. One Node process checks a batch.
/// </summary>
internal static class SparkSqlSyntax
{
    /// <summary>The syntax errors of each statement, by its name: empty for a statement that parses.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Errors(IEnumerable<(string Name, string Sql)> statements) =>
        NodeCheck.Errors("spark-sql-check", "dt-sql-parser", JsonSerializer.Serialize(statements.Select(statement => new { name = statement.Name, sql = statement.Sql })));
}
