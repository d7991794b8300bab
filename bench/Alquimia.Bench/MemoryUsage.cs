using System.Diagnostics;

namespace Alquimia.Bench;

/// <summary>
/// The process's resident memory, native allocations (DuckDB's) included, which the GC's figures leave out; and its
/// CPU time, every thread included.
/// </summary>
internal static class MemoryUsage
{
    /// <summary>The highest RSS since the process started or since <see cref="TryResetPeak"/> (Linux's VmHWM).</summary>
    public static long PeakWorkingSet
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.PeakWorkingSet64;
        }
    }

    /// <summary>The RSS now.</summary>
    public static long WorkingSet
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }

    /// <summary>CPU time used by every thread of the process so far, user and kernel.</summary>
    public static TimeSpan ProcessorTime
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Starts a new peak from the current RSS, so that a measurement's peak is its own. Linux only (writing 5 to
    /// /proc/self/clear_refs resets VmHWM); false where that is not possible.
    /// </summary>
    public static bool TryResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
