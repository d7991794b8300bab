using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Alquimia.Cli;

/// <summary>
/// The library's log, written to standard error so that it never mixes into a command's output: warnings and errors
/// by default, every step with <c>--verbose</c>.
/// </summary>
internal static class CliLogging
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log what the run does, step by step, to standard error (by default only warnings and errors).",
        Recursive = true,
    };

    public static ILoggerFactory Create(ParseResult parseResult)
    {
        var level = parseResult.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning;
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            }));
    }
}
