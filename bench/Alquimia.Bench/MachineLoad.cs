using System.Diagnostics;
using System.Globalization;

namespace Alquimia.Bench;

/// <summary>
/// How busy the machine was while the benchmarks ran, apart from them: the CPU time other processes took, and the time
/// the hypervisor kept this VM's CPUs waiting (steal). Either makes the figures slower and noisier than the code is.
/// Linux only (/proc/stat); elsewhere it says nothing.
/// </summary>
internal sealed class MachineLoad
{
    /// <summary>/proc/stat counts in USER_HZ, which is 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    private readonly CpuCounters? _start;
    private readonly TimeSpan _ownCpuStart;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    private MachineLoad()
    {
        _start = CpuCounters.Read();
        _ownCpuStart = MemoryUsage.ProcessorTime;
    }

    public static MachineLoad Start() => new();

    /// <summary>One sentence on the load since <see cref="Start"/>, or null where /proc/stat cannot be read.</summary>
    public string? Describe()
    {
        if (_start is null || CpuCounters.Read() is not { } end)
        {
            return null;
        }

        var capacity = _elapsed.Elapsed.TotalSeconds * Environment.ProcessorCount;
        var busy = (end.Busy - _start.Busy) / TicksPerSecond;
        var own = (MemoryUsage.ProcessorTime - _ownCpuStart).TotalSeconds;
        var others = Math.Max(0, busy - own) / capacity;
        var steal = (end.Steal - _start.Steal) / TicksPerSecond / capacity;
        var verdict = others + steal > 0.05 ? ": the figures are slower and noisier than on an idle machine." : ".";
        return $"While this ran, other processes used {Format.Percent(others)} of the machine's {Environment.ProcessorCount} cores "
            + $"and the hypervisor stole {Format.Percent(steal)}{verdict}";
    }

    /// <summary>The first line of /proc/stat: jiffies spent by all CPUs in each state since boot.</summary>
    private sealed record CpuCounters(long Busy, long Steal)
    {
        public static CpuCounters? Read()
        {
            try
            {
                var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 9 || fields[0] != "cpu")
                {
                    return null;
                }

                // user nice system idle iowait irq softirq steal
                var values = fields.Skip(1).Take(8).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
                return new CpuCounters(values[0] + values[1] + values[2] + values[5] + values[6], values[7]);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
            {
                return null;
            }
        }
    }
}
