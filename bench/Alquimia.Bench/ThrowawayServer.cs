using System.Diagnostics;

namespace Alquimia.Bench;

/// <summary>
/// The benchmarks' throwaway database servers and projects: a server started by the project's own script
/// (scripts/postgres.sh, scripts/mariadb.sh) into a folder of its own, and a project's warehouse and lake reset between
/// repetitions.
/// </summary>
internal static class ThrowawayServer
{
    /// <summary>Runs <c>scripts/&lt;script&gt; &lt;command&gt; &lt;folder&gt;</c>; returns what it printed (start: the connection string last).</summary>
    public static string Script(string script, string command, string folder)
    {
        var path = Path.Combine(RepoRoot(), "scripts", script);
        using var process = Process.Start(new ProcessStartInfo("bash", [path, command, folder]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"scripts/{script} {command} failed.");
    }

    /// <summary>Deletes a project's warehouse and lake, for a run from nothing.</summary>
    public static void ResetProject(string project)
    {
        File.Delete(Path.Combine(project, "warehouse.duckdb"));
        File.Delete(Path.Combine(project, "warehouse.duckdb.wal"));
        if (Directory.Exists(Path.Combine(project, "lake")))
        {
            Directory.Delete(Path.Combine(project, "lake"), recursive: true);
        }
    }

    private static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, "scripts")) && File.Exists(Path.Combine(folder.FullName, "Alquimia.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository's scripts/ folder was not found above the benchmark's folder.");
    }
}
