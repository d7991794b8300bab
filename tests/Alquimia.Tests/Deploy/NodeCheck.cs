using System.Diagnostics;
using System.Text.Json;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// One of the tests' npm checks of the Databricks deploy (tests/spark-sql-check, tests/bundle-schema-check): its
/// check.mjs reads a JSON array of named inputs and writes <c>[{"name": …, "errors": […]}]</c>. One Node process
/// checks a batch. The packages come from npm through scripts/test-servers.sh, which scripts/test.sh runs.
/// </summary>
internal static class NodeCheck
{
    /// <summary>The errors of each input, by its name: empty for one that passes.</summary>
    /// <param name="folder">The check's folder under tests/, e.g. <c>spark-sql-check</c>.</param>
    /// <param name="package">A package the check needs, to tell an install that is missing.</param>
    /// <param name="inputs">The JSON array the check reads.</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Errors(string folder, string package, string inputs)
    {
        var directory = RepoRoot.File(Path.Combine("tests", folder));
        if (!Directory.Exists(Path.Combine(directory, "node_modules", package)))
        {
            throw new InvalidOperationException($"tests/{folder} is not installed: run `bash scripts/test-servers.sh` (scripts/test.sh does), which installs it from npm.");
        }

        var input = Path.GetTempFileName();
        try
        {
            File.WriteAllText(input, inputs);
            var start = new ProcessStartInfo("node", ["check.mjs", input]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            using var node = Process.Start(start)!;
            var output = node.StandardOutput.ReadToEndAsync();
            var error = node.StandardError.ReadToEnd();
            node.WaitForExit();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"tests/{folder}/check.mjs failed ({node.ExitCode}): {error}");
            }

            return JsonDocument.Parse(output.Result).RootElement.EnumerateArray().ToDictionary(
                result => result.GetProperty("name").GetString()!,
                result => (IReadOnlyList<string>)[.. result.GetProperty("errors").EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
                    ? item.GetString()!
                    : $"{item.GetProperty("line").GetInt32()}:{item.GetProperty("column").GetInt32()} {item.GetProperty("message").GetString()}")]);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
