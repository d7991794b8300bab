using System.Runtime;
using System.Runtime.InteropServices;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Bench;

/// <summary>The header of every run: where and when the figures were taken, so that they can be compared later.</summary>
internal static class MachineInfo
{
    public static void Print(BenchmarkOptions options)
    {
        var date = TimeProvider.System.GetUtcNow();
        using var connection = new CheckedConnection();
        Console.WriteLine("Alquimia benchmarks");
        Console.WriteLine($"  date        {date:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"  machine     {Environment.ProcessorCount} logical cores, {CpuModel()}, {Format.Megabytes(TotalMemory())} RAM");
        Console.WriteLine($"  os          {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        Console.WriteLine($"  .NET        {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine($"  DuckDB      {connection.ServerVersion}");
        Console.WriteLine($"  runs        {options.Warmups} warm-up (at least 0.5 s) + {options.Repetitions} timed per measurement; figures are of the best run");
        Console.WriteLine($"  load        {LoadAverage()} (1, 5, 15 min) at the start");
        Console.WriteLine();
    }

    /// <summary>The 1, 5 and 15 minute load averages; above the core count, other work is competing for the CPU.</summary>
    public static string LoadAverage() => ReadProcFile("/proc/loadavg") is { } text
        ? string.Join(' ', text.Split(' ').Take(3))
        : "n/a";

    private static string CpuModel() => ReadProcFile("/proc/cpuinfo")?
        .Split('\n')
        .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?
        .Split(':', 2)[1]
        .Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static long TotalMemory() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static string? ReadProcFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
