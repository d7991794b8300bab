using System.Diagnostics;
using System.Text.Json;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// Spark SQL's syntax, checked by dt-sql-parser's SparkSQL grammar (ANTLR, built from Spark's own) in Node.js:
/// tests/spark-sql-check, installed from the npm registry by scripts/test-servers.sh. One Node process checks a batch.
/// </summary>
internal static class SparkSqlSyntax
{
    /// <summary>The syntax errors of each statement, by its name: empty for a statement that parses.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Errors(IEnumerable<(string Name, string Sql)> statements)
    {
        var folder = RepoRoot.File("tests/spark-sql-check");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "dt-sql-parser")))
        {
            throw new InvalidOperationException("The Spark SQL check is not installed: run `bash scripts/test-servers.sh` (scripts/test.sh does), which installs it from npm.");
        }

        var input = Path.GetTempFileName();
        try
        {
            File.WriteAllText(input, JsonSerializer.Serialize(statements.Select(statement => new { name = statement.Name, sql = statement.Sql })));
            var start = new ProcessStartInfo("node", ["check.mjs", input]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            using var node = Process.Start(start)!;
            var output = node.StandardOutput.ReadToEndAsync();
            var error = node.StandardError.ReadToEnd();
            node.WaitForExit();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"The Spark SQL check failed ({node.ExitCode}): {error}");
            }

            return JsonDocument.Parse(output.Result).RootElement.EnumerateArray().ToDictionary(
                result => result.GetProperty("name").GetString()!,
                result => (IReadOnlyList<string>)[.. result.GetProperty("errors").EnumerateArray().Select(item =>
                    $"{item.GetProperty("line").GetInt32()}:{item.GetProperty("column").GetInt32()} {item.GetProperty("message").GetString()}")]);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
