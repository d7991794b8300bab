using System.Diagnostics;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// Runs the <c>alquimia</c> CLI, built beside the tests, as a child process: for what only another process can
/// show (a native library that fails to load, a warehouse file locked by this process).
/// </summary>
internal static class CliProcess
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "Alquimia.Cli.dll");

    /// <summary>
    /// Runs <c>alquimia setup</c> on a one-line project whose warehouse is <paramref name="warehousePath"/>, optionally
    /// with another native library: the shortest way to make the CLI load DuckDB and open a warehouse file.
    /// </summary>
    public static Task<CliResult> RunSetupAsync(string warehousePath, string? duckDbLibrary = null)
    {
        var project = Path.Combine(Path.GetDirectoryName(warehousePath)!, "project-" + Path.GetFileNameWithoutExtension(warehousePath));
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "alquimia.yml"), $"name: teste\nwarehouse: '{warehousePath}'\n");
        return RunAsync(["setup", "--project", project], duckDbLibrary);
    }

    /// <summary>Runs <c>dotnet Alquimia.Cli.dll &lt;arguments&gt;</c>, optionally with another native library and more environment variables.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, string? duckDbLibrary = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, duckDbLibrary, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The CLI did not exit within {Patience}.");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts <c>dotnet Alquimia.Cli.dll &lt;arguments&gt;</c> with stdout and stderr redirected; the caller reads them and waits.</summary>
    public static Process Start(IEnumerable<string> arguments, string? duckDbLibrary = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(AssemblyPath), $"The CLI is not built beside the tests at {AssemblyPath}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Prepend(AssemblyPath))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ALQUIMIA_DUCKDB_LIB");
        if (duckDbLibrary is not null)
        {
            start.Environment["ALQUIMIA_DUCKDB_LIB"] = duckDbLibrary;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}

/// <summary>What a CLI run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The single line on stderr; fails the test when stderr holds anything else (a stack trace, several lines).</summary>
    public string SingleErrorLine()
    {
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"Expected one line on stderr, got {lines.Length}:\n{Error}");
        return lines[0];
    }
}
