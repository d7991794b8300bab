using System.Diagnostics;

namespace Alquimia.Bench;

/// <summary>
/// Times pieces of work the same way every time: untimed warm-ups (so the JIT has compiled and tiered up the loop,
/// and DuckDB's buffers are allocated), then timed repetitions, each after a full GC so that one repetition's
/// garbage is not collected during the next. Preparation and clean-up run outside the stopwatch.
/// </summary>
/// <remarks>
/// Workloads measured together are interleaved, repetition by repetition (A B C, A B C, …), so that a ratio between
/// them is taken under the same conditions: on a shared machine the load changes from one second to the next, and
/// DuckDB returns the memory of a large result to the OS gradually, slowing whatever runs right after it.
/// </remarks>
internal static class Measure
{
    /// <summary>Keeps a smoke run short when each run is tiny.</summary>
    private const int MaximumWarmups = 50;

    /// <summary>
    /// Warm-ups go on at least this long: tiered compilation promotes a method to optimized code only after it has run
    /// for a while, so a single short warm-up (a smoke run of a few thousand rows) would time unoptimized code.
    /// </summary>
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromMilliseconds(500);

    /// <summary>Measures one workload.</summary>
    public static Measurement Run(BenchmarkOptions options, Workload workload) => Interleaved(options, workload)[0];

    /// <summary>
    /// Warms each workload up (<see cref="BenchmarkOptions.Warmups"/> runs, and for at least <see cref="MinimumWarmup"/>),
    /// then times <see cref="BenchmarkOptions.Repetitions"/> rounds in which every workload runs once, in the order given.
    /// </summary>
    public static Measurement[] Interleaved(BenchmarkOptions options, params Workload[] workloads)
    {
        foreach (var workload in workloads)
        {
            var warmup = Stopwatch.StartNew();
            for (var i = 0; i < options.Warmups || (options.Warmups > 0 && warmup.Elapsed < MinimumWarmup && i < MaximumWarmups); i++)
            {
                workload.Prepare?.Invoke();
                _ = workload.Work();
                workload.CleanUp?.Invoke();
            }
        }

        var runs = workloads.Select(_ => new List<Repetition>(options.Repetitions)).ToArray();
        for (var round = 0; round < options.Repetitions; round++)
        {
            for (var i = 0; i < workloads.Length; i++)
            {
                runs[i].Add(Time(workloads[i]));
            }
        }

        return workloads.Select((workload, i) => Summarize(workload, runs[i])).ToArray();
    }

    private static Repetition Time(Workload workload)
    {
        workload.Prepare?.Invoke();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var peakReset = MemoryUsage.TryResetPeak();
        var startRss = MemoryUsage.WorkingSet;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = MemoryUsage.ProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var checksum = workload.Work();
        stopwatch.Stop();
        var run = new Repetition(
            stopwatch.Elapsed,
            MemoryUsage.ProcessorTime - cpuBefore,
            GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore,
            startRss,
            peakReset ? MemoryUsage.PeakWorkingSet : null,
            checksum);
        workload.CleanUp?.Invoke();
        return run;
    }

    private static Measurement Summarize(Workload workload, List<Repetition> runs)
    {
        var best = runs.MinBy(run => run.Elapsed)!;
        return new Measurement(
            workload.Name,
            workload.Rows,
            runs.Select(run => run.Elapsed).ToArray(),
            best.CpuTime,
            runs.Min(run => run.AllocatedBytes),
            runs.Min(run => run.StartWorkingSetBytes),
            runs.All(run => run.PeakWorkingSetBytes is not null) ? runs.Max(run => run.PeakWorkingSetBytes) : null,
            best.Checksum);
    }

    private sealed record Repetition(
        TimeSpan Elapsed, TimeSpan CpuTime, long AllocatedBytes, long StartWorkingSetBytes, long? PeakWorkingSetBytes, long Checksum);
}

/// <summary>A piece of work to time.</summary>
/// <param name="Name">What the row of the table says.</param>
/// <param name="Rows">Rows the work handles, for rows/s.</param>
/// <param name="Work">The timed work; returns a checksum of what it read, so the JIT cannot drop the reading.</param>
/// <param name="Prepare">Untimed, before each run: e.g. creating the empty table to append to.</param>
/// <param name="CleanUp">Untimed, after each run: e.g. dropping the table the run created.</param>
internal sealed record Workload(string Name, long Rows, Func<long> Work, Action? Prepare = null, Action? CleanUp = null);

/// <summary>The timed repetitions of one workload.</summary>
/// <param name="Name">What the row of the table says.</param>
/// <param name="Rows">Rows handled per repetition.</param>
/// <param name="Samples">Wall-clock time of each repetition.</param>
/// <param name="BestCpuTime">
/// CPU time of the whole process (every thread: DuckDB's workers, the GC) during the fastest repetition. Above the
/// wall-clock time when several cores worked.
/// </param>
/// <param name="AllocatedBytes">Managed bytes allocated by the least-allocating repetition (all threads).</param>
/// <param name="StartWorkingSetBytes">The lowest RSS at the start of a repetition, after a full GC.</param>
/// <param name="PeakWorkingSetBytes">
/// The process's highest RSS during the repetitions, native memory (DuckDB's) included; null when the peak could not be
/// reset before each of them (it is reset through /proc/self/clear_refs on Linux), since it would then include earlier
/// work. It starts from the RSS at the start of the repetition, which may hold memory DuckDB has not yet given back.
/// </param>
/// <param name="Checksum">What the work returned, so that runs that should read the same values can be compared.</param>
internal sealed record Measurement(
    string Name,
    long Rows,
    IReadOnlyList<TimeSpan> Samples,
    TimeSpan BestCpuTime,
    long AllocatedBytes,
    long StartWorkingSetBytes,
    long? PeakWorkingSetBytes,
    long Checksum)
{
    public TimeSpan Best => Samples.Min();

    public TimeSpan Median
    {
        get
        {
            var sorted = Samples.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /// <summary>Rows per second of the best repetition.</summary>
    public double RowsPerSecond => Rows / Best.TotalSeconds;

    /// <summary>Nanoseconds per row of the best repetition.</summary>
    public double NanosecondsPerRow => Best.TotalNanoseconds / Rows;

    /// <summary>How far apart the repetitions were: (slowest − best) / best. Large values mean a noisy machine.</summary>
    public double Spread => (Samples.Max() - Best) / Best;
}
