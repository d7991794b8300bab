using DuckDB.NET.Data;
using System.Diagnostics;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Examples.VCredit;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Bench;

/// <summary>
/// The V-Credit pipeline at a given number of chamados: a full run, then an incremental run after a next day adding
/// 1% new chamados. Three warehouses go through the same runs: one with the project's parallelism (the figure users
/// see), one with one model at a time whose statements are traced, and one where those very statements are replayed
/// on DuckDB directly, one transaction per step. The sequential run against the replay is what the framework adds.
/// A fourth warehouse runs the project with its expectations and data tests removed: against it, the parallel run
/// says what checking the data costs.
/// </summary>
internal sealed class PipelineBenchmark : IBenchmark
{
    private const int Days = 30;

    public string Name => "pipeline";

    public string Description => "V-Credit pipeline, full and +1% incremental, against the same SQL replayed on DuckDB (--rows N chamados; default 1M and 10M)";

    public void Run(BenchmarkOptions options)
    {
        var sizes = options.Rows == BenchmarkOptions.DefaultRows ? new long[] { 1_000_000, 10_000_000 } : [options.Rows];
        var table = new ResultTable(
            "chamados", "run", "alquimia s", "alquimia 1-at-a-time s", "same SQL on DuckDB s", "overhead", "no quality checks s", "quality cost", "rows written", "peak RSS");
        foreach (var rows in sizes)
        {
            foreach (var result in Measure(rows))
            {
                table.Add(Format.Count(rows), result.Run, Seconds(result.Parallel), Seconds(result.Sequential), Seconds(result.Raw),
                    Format.Percent(result.Sequential / result.Raw - 1), Seconds(result.Unchecked), Format.Percent(result.Parallel / result.Unchecked - 1),
                    Format.Count(result.RowsWritten), Format.Megabytes(result.PeakWorkingSet));
            }
        }

        table.Print("V-Credit pipeline (memory_limit 2GB): framework vs the same statements on DuckDB directly");
    }

    private static IEnumerable<PipelineResult> Measure(long rows)
    {
        var directory = Directory.CreateTempSubdirectory("alquimia-bench-pipeline-").FullName;
        try
        {
            VCreditExample.WriteProjectTo(directory);
            var project = ProjectLoader.Load(directory);
            var generator = new VCreditGeneratorOptions { Rows = rows, Days = Days };
            var generation = Stopwatch.StartNew();
            VCreditGenerator.Generate(project.LakePath, generator);
            Console.WriteLine($"Generated {Format.Count(rows)} chamados over {Days} days in {generation.Elapsed.TotalSeconds:N1} s.");
            var sequential = project with { WarehousePath = Path.Combine(directory, "sequential.duckdb"), Settings = project.Settings with { MaxParallelism = 1 } };
            var raw = project with { WarehousePath = Path.Combine(directory, "raw.duckdb") };
            var @unchecked = project with
            {
                WarehousePath = Path.Combine(directory, "unchecked.duckdb"),
                Models = [.. project.Models.Select(model => model with { Config = model.Config with { Expectations = [], Tests = [] } })],
            };
            CreateLayers(raw);
            var warehouses = new Warehouses(project, sequential, raw, @unchecked);

            var full = Compare("full", warehouses);
            yield return full;

            // The next day carries Rows/Days new chamados; asking for Rows*Days/100 in total makes that 1% of the table.
            // The first incremental run after a full load re-reads the whole load (watermarks are inclusive: rows at the
            // stored value are read again), so the steady state is the second one.
            var nextDay = generator with { Rows = rows * Days / 100 };
            VCreditGenerator.GenerateNextDay(project.LakePath, nextDay);
            yield return Compare("1st incremental +1%", warehouses);
            VCreditGenerator.GenerateNextDay(project.LakePath, nextDay);
            var incremental = Compare("incremental +1%", warehouses);
            yield return incremental;
            Console.WriteLine($"{Format.Count(rows)}: the steady incremental run took {Format.Percent(incremental.Parallel / full.Parallel)} of the full run's time.");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static PipelineResult Compare(string name, Warehouses warehouses)
    {
        var (project, sequential, raw, @unchecked) = warehouses;
        MemoryUsage.TryResetPeak();
        var (parallel, summary) = TimedRun(name, project);
        var peak = MemoryUsage.PeakWorkingSet;
        var (withoutChecks, _) = TimedRun(name, @unchecked);

        SqlTrace.Recording trace;
        TimeSpan oneAtATime;
        using (trace = SqlTrace.Start())
        {
            (oneAtATime, _) = TimedRun(name, sequential);
        }

        var replay = Replay(raw, trace);
        var written = summary.Steps.Sum(step => step.RowsInserted + step.RowsUpdated + step.RowsDeleted);
        return new PipelineResult(name, parallel.TotalSeconds, oneAtATime.TotalSeconds, replay.TotalSeconds, withoutChecks.TotalSeconds, written, peak);
    }

    private static (TimeSpan Elapsed, RunSummary Summary) TimedRun(string name, Project project)
    {
        var clock = Stopwatch.StartNew();
        var summary = CliRun.Run(project, new RunOptions());
        clock.Stop();
        if (!summary.Succeeded)
        {
            throw new InvalidOperationException($"The {name} run failed: " + string.Join("; ", summary.Steps.Where(step => step.Error is not null).Select(step => $"{step.Model}: {step.Error}")));
        }

        return (clock.Elapsed, summary);
    }

    /// <summary>
    /// Runs the traced statements in commit order, each step's in one transaction, on the raw warehouse; the statements
    /// the run sent on a second connection outside the step's transaction (its scratch tables) go to a second one here too.
    /// </summary>
    private static TimeSpan Replay(Project raw, SqlTrace.Recording trace)
    {
        // Timed from opening to closing the database, as the run is: closing checkpoints what the run wrote.
        var clock = Stopwatch.StartNew();
        using var connection = Open(raw);
        using var scratch = Open(raw);
        foreach (var (_, statements) in trace.Segments)
        {
            using var transaction = connection.BeginTransaction();
            foreach (var statement in statements)
            {
                using var command = (statement.OutsideTransaction ? scratch : connection).CreateCommand(statement.Sql);
                foreach (var value in statement.Parameters)
                {
                    command.Parameters.Add(new DuckDBParameter { Value = value });
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                }
            }

            transaction.Commit();
        }

        scratch.Close();
        connection.Close();
        return clock.Elapsed;
    }

    private static void CreateLayers(Project raw)
    {
        using var warehouse = EmbeddedWarehouse.Open(raw.WarehousePath, raw.Settings.Threads, raw.Settings.MemoryLimit, raw.Settings.StorageVersion);
        warehouse.EnsureLayers();
        StateTables.EnsureCreated(warehouse.Connection);
    }

    private static CheckedConnection Open(Project raw)
    {
        var connection = new CheckedConnection(
            EmbeddedWarehouse.ConnectionStringFor(raw.WarehousePath, raw.Settings.Threads, raw.Settings.MemoryLimit, raw.Settings.StorageVersion));
        connection.Open();
        return connection;
    }

    private static string Seconds(double seconds) => seconds.ToString("N2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The four warehouses every phase runs on: as users run it, one model at a time (traced), the replay, without quality checks.</summary>
    private sealed record Warehouses(Project Project, Project Sequential, Project Raw, Project Unchecked);

    private sealed record PipelineResult(string Run, double Parallel, double Sequential, double Raw, double Unchecked, long RowsWritten, long PeakWorkingSet);
}
