using System.Diagnostics;
using Alquimia.Deploy.Databricks;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;

namespace Alquimia.Bench;

/// <summary>
/// <c>alquimia deploy databricks</c> on the V-Credit project: the bundle written in this process (the project's shape
/// in a throwaway DuckDB, the Spark SQL of every task, the files swapped into place), beside the shape alone, its
/// largest part; then the command as a user runs it, a process of its own, beside <c>alquimia graph</c>, which starts
/// the same process and loads the same project. The issue's goal: the bundle in under 2 s.
/// </summary>
internal sealed class DeployBenchmark : IBenchmark
{
    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(2);

    public string Name => "deploy";

    public string Description => "alquimia deploy databricks on V-Credit: in this process and as the CLI, against the project's shape and alquimia graph (no data; --rows is ignored)";

    public void Run(BenchmarkOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("alquimia-bench-deploy-").FullName;
        try
        {
            var folder = Path.Combine(directory, "vcredit");
            VCreditExample.WriteProjectTo(folder);
            var project = ProjectLoader.Load(folder);
            var output = Path.Combine(directory, "bundle");
            var files = 0L;
            var measured = Measure.Interleaved(
                options,
                new Workload("BundleWriter.Write (the whole bundle)", 1, () => files = BundleWriter.Write(project, output).Files.Count),
                new Workload("ProjectShape.Of (setup into a throwaway DuckDB)", 1, () => ProjectShape.Of(project).Problems.Count));
            var table = new ResultTable("in this process", "best ms", "median ms", "peak RSS", "goal");
            foreach (var measurement in measured)
            {
                table.Add(measurement.Name, Format.Milliseconds(measurement.Best), Format.Milliseconds(measurement.Median), Format.Megabytes(measurement.PeakWorkingSetBytes),
                    measurement == measured[0] ? $"< {Goal.TotalSeconds:N0} s: {(measurement.Best < Goal ? "met" : "MISSED")}" : "");
            }

            table.Print($"V-Credit's bundle ({files} files), written in this process");

            var cli = new ResultTable("as a process", "best ms", "median ms", "goal");
            var deploy = new List<TimeSpan>();
            var graph = new List<TimeSpan>();
            for (var repetition = 0; repetition < Math.Max(3, options.Repetitions); repetition++)
            {
                deploy.Add(Cli("deploy", "databricks", "-p", folder, "--out", output));
                graph.Add(Cli("graph", "-p", folder));
            }

            cli.Add("alquimia deploy databricks -p vcredit --out bundle", Format.Milliseconds(deploy.Min()), Format.Milliseconds(Median(deploy)),
                $"< {Goal.TotalSeconds:N0} s: {(deploy.Min() < Goal ? "met" : "MISSED")}");
            cli.Add("alquimia graph -p vcredit (start and load only)", Format.Milliseconds(graph.Min()), Format.Milliseconds(Median(graph)), "");
            cli.Print("The command as a user runs it: a process of its own each time");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static TimeSpan Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Alquimia.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        clock.Stop();
        return process.ExitCode == 0
            ? clock.Elapsed
            : throw new InvalidOperationException($"alquimia {string.Join(' ', arguments)} exited {process.ExitCode}: {error}{output.Result}");
    }

    private static TimeSpan Median(List<TimeSpan> samples) => samples.Order().ElementAt(samples.Count / 2);
}
