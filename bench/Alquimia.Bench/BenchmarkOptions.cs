using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Alquimia.Bench;

/// <summary>What every benchmark is run with: how many rows, and how many warm-up and timed repetitions.</summary>
internal sealed record BenchmarkOptions(long Rows, int Warmups, int Repetitions, bool ShowHelp)
{
    /// <summary>The issue's figure: 10M rows. <c>--rows 100000</c> makes a smoke run of a few seconds.</summary>
    public const long DefaultRows = 10_000_000;

    public static bool TryParse(
        string[] args,
        out string benchmark,
        [NotNullWhen(true)] out BenchmarkOptions? options,
        [NotNullWhen(false)] out string? error)
    {
        benchmark = "all";
        options = null;
        var rows = DefaultRows;
        var warmups = 1;
        var repetitions = 3;
        var showHelp = false;
        var sawBenchmark = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    showHelp = true;
                    break;
                case "--rows":
                    if (!TryReadCount(args, ref i, min: 1, out rows, out error))
                    {
                        return false;
                    }

                    break;
                case "--warmups":
                    if (!TryReadCount(args, ref i, min: 0, out var warmupCount, out error))
                    {
                        return false;
                    }

                    warmups = (int)warmupCount;
                    break;
                case "--repetitions":
                    if (!TryReadCount(args, ref i, min: 1, out var repetitionCount, out error))
                    {
                        return false;
                    }

                    repetitions = (int)repetitionCount;
                    break;
                case var name when !name.StartsWith('-') && !sawBenchmark:
                    benchmark = name;
                    sawBenchmark = true;
                    break;
                default:
                    error = $"unknown argument '{args[i]}'.";
                    return false;
            }
        }

        options = new BenchmarkOptions(rows, warmups, repetitions, showHelp);
        error = null;
        return true;
    }

    public static string Usage(IEnumerable<IBenchmark> benchmarks)
    {
        var usage = new StringBuilder()
            .AppendLine("usage: dotnet run -c Release --project bench/Alquimia.Bench -- [benchmark|all] [--rows N] [--warmups N] [--repetitions N]")
            .AppendLine()
            .AppendLine("benchmarks:");
        foreach (var benchmark in benchmarks)
        {
            usage.AppendLine(CultureInfo.InvariantCulture, $"  {benchmark.Name,-10} {benchmark.Description}");
        }

        return usage
            .AppendLine(CultureInfo.InvariantCulture, $"  {"all",-10} every benchmark above (the default)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"  --rows N         rows per measurement; the default is {DefaultRows:N0}")
            .AppendLine("  --warmups N      untimed runs before each measurement, repeated for at least 0.5 s; the default is 1")
            .Append("  --repetitions N  timed runs per measurement, reported as best and median; the default is 3")
            .ToString();
    }

    private static bool TryReadCount(string[] args, ref int i, long min, out long value, [NotNullWhen(false)] out string? error)
    {
        var name = args[i];
        value = 0;
        if (i + 1 >= args.Length)
        {
            error = $"{name} needs a number.";
            return false;
        }

        // Underscores and separators are accepted, so that 10_000_000 and 10,000,000 read as they look.
        var text = args[++i].Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min)
        {
            error = $"{name} needs a whole number of at least {min}, not '{args[i]}'.";
            return false;
        }

        error = null;
        return true;
    }
}
