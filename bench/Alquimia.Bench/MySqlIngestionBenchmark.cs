using System.Diagnostics;
using System.Globalization;
using Alquimia.Examples.Radar;
using Alquimia.Orchestration;
using Alquimia.Projects;
using MySqlConnector;

namespace Alquimia.Bench;

/// <summary>
/// MySQL → landing Parquet (issue 25): seed 003's Radar database, its 82 tables generated into a throwaway MariaDB
/// (scripts/mariadb.sh), synced by the Radar example project 4 tables at a time (landing only, as the example says;
/// and again with bronze, for comparison), against the MariaDB client
/// reading the same tables 4 at a time, <c>mariadb --quick --batch -e 'SELECT * FROM t'</c> to /dev/null, in the same
/// run: the rate at which the server hands its rows out, the physical limit of any extraction.
/// </summary>
internal sealed class MySqlIngestionBenchmark : IBenchmark
{
    private const double RowsPerSecondShareGoal = 0.60;
    private const long PeakMemoryGoalBytes = 1024L * 1024 * 1024;
    private const int AtOnce = 4;

    public string Name => "mysql";

    public string Description => "MySQL → landing Parquet (and bronze, for comparison): seed 003's 82 Radar tables, 4 at a time, against the mariadb client reading them 4 at a time to /dev/null (--rows is the database's rows, about; default 10M)";

    public void Run(BenchmarkOptions options)
    {
        // The generated database holds about 95 rows a store: --rows of them in all.
        var stores = Math.Max(10, options.Rows / 95);
        var folder = Path.Combine(Path.GetTempPath(), $"alquimia-bench-mysql-{Environment.ProcessId}");
        var server = ThrowawayServer.Script("mariadb.sh", "start", Path.Combine(folder, "server")).Trim().Split('\n')[^1];
        try
        {
            Console.WriteLine($"Generating the Radar database: {Format.Count(stores)} stores ...");
            var generated = RadarGenerator.Generate(server, stores);
            Console.WriteLine(generated);
            var project = WriteProject(Path.Combine(folder, "radar"), server);
            var withBronze = WriteProject(Path.Combine(folder, "radar-bronze"), server, loadsBronze: true);
            var measured = Measure.Interleaved(
                options,
                new Workload("mariadb --quick --batch, 4 tables at a time, to /dev/null", generated.Rows, () => Client(server, generated)),
                new Workload("alquimia run (source:radar), the example: landing only", generated.Rows, () => Sync(project), Prepare: () => ThrowawayServer.ResetProject(project)),
                new Workload("the same with bronze (bronze: false removed)", generated.Rows, () => Sync(withBronze), Prepare: () => ThrowawayServer.ResetProject(withBronze)));

            var limit = measured[0];
            var table = new ResultTable("workload", "best ms", "median ms", "rows/s", "vs the client", "peak RSS", "goal");
            table.Add(limit.Name, Format.Milliseconds(limit.Best), Format.Milliseconds(limit.Median), Format.RowsPerSecond(limit.RowsPerSecond), "1.00x", "(client)", "");
            foreach (var (alquimia, goal) in new[] { (measured[1], true), (measured[2], false) })
            {
                var share = alquimia.RowsPerSecond / limit.RowsPerSecond;
                table.Add(
                    alquimia.Name, Format.Milliseconds(alquimia.Best), Format.Milliseconds(alquimia.Median), Format.RowsPerSecond(alquimia.RowsPerSecond),
                    Format.Percent(share) + " of its rows/s", Format.Megabytes(alquimia.PeakWorkingSetBytes),
                    !goal ? "(for comparison)"
                    : $">= 60% of the client: {(share >= RowsPerSecondShareGoal ? "met" : "MISSED")}; peak RSS < 1 GB: "
                        + (alquimia.PeakWorkingSetBytes is { } peak ? peak < PeakMemoryGoalBytes ? "met" : "MISSED" : "n/a"));
            }

            table.Print($"MySQL → landing Parquet: the Radar database, {generated.Tables.Count} tables, {Format.Count(generated.Rows)} rows, full refresh");
        }
        finally
        {
            MySqlConnection.ClearAllPools();
            ThrowawayServer.Script("mariadb.sh", "stop", Path.Combine(folder, "server"));
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every table read by the MariaDB client, 4 at a time, each into /dev/null; returns the rows.</summary>
    private static long Client(string server, RadarGeneration generated)
    {
        var builder = new MySqlConnectionStringBuilder(server);
        Parallel.ForEach(generated.Tables, new ParallelOptions { MaxDegreeOfParallelism = AtOnce }, table =>
        {
            var command = string.Create(CultureInfo.InvariantCulture,
                $"mariadb --quick --batch -h {builder.Server} -P {builder.Port} -u {builder.UserID} -p{builder.Password} {generated.Database} -e 'SELECT * FROM `{table.Table}`' > /dev/null");
            using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"mariadb failed on {table.Table}: {error}");
            }
        });
        return generated.Rows;
    }

    /// <summary>The Radar example as it is (4 steps at once, 4 connections), reading the generated database; with <paramref name="loadsBronze"/>, without its bronze: false.</summary>
    private static string WriteProject(string folder, string server, bool loadsBronze = false)
    {
        RadarExample.WriteProjectTo(folder);
        if (loadsBronze)
        {
            var source = Path.Combine(folder, "sources", "radar.yml");
            File.WriteAllLines(source, File.ReadAllLines(source).Where(line => !line.StartsWith("bronze: false", StringComparison.Ordinal)));
        }

        Environment.SetEnvironmentVariable(RadarExample.ConnectionVariable, new MySqlConnectionStringBuilder(server) { Database = "radar" }.ConnectionString);
        return folder;
    }

    private static long Sync(string project)
    {
        var summary = CliRun.Run(ProjectLoader.Load(project), new RunOptions { Selector = "source:radar" });
        var failed = summary.Steps.Where(step => step.Error is not null).ToList();
        return failed.Count == 0
            ? summary.Steps.Sum(step => step.RowsInserted)
            : throw new InvalidOperationException(string.Join("; ", failed.Select(step => $"{step.Model}: {step.Error}")));
    }

}
