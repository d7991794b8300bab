using System.CommandLine;
using Alquimia.Server;
using Microsoft.Extensions.Logging;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia serve</c>: the long-running host that runs the project's jobs on their schedules and the runs asked for
/// over HTTP, until Ctrl-C or SIGTERM, which cancels the running run (it records itself as cancelled).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:8080; give another address only behind a firewall).",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var protectMetrics = new Option<bool>("--protect-metrics")
        {
            Description = $"/metrics needs {ServerOptions.TokenVariable} too (by default Prometheus scrapes it without a token).",
        };
        var command = new Command("serve", $"Run the jobs on their schedules and serve the API; every endpoint but /healthz and /metrics needs {ServerOptions.TokenVariable}.")
        {
            project, urls, protectMetrics,
        };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            var token = Environment.GetEnvironmentVariable(ServerOptions.TokenVariable) ?? "";
            if (string.IsNullOrWhiteSpace(token))
            {
                await Console.Error.WriteLineAsync(
                    $"error: alquimia serve needs an operator token: set {ServerOptions.TokenVariable} to a long random secret (e.g. `openssl rand -hex 32`); the CLI and API callers send it.").ConfigureAwait(false);
                return ExitCodes.Invalid;
            }

            var verbose = parseResult.GetValue(CliLogging.Verbose);
            await using var app = AlquimiaServer.Build(loaded, new ServerOptions(parseResult.GetValue(urls)!, token) { ProtectMetrics = parseResult.GetValue(protectMetrics) }, logging => logging
                .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", verbose ? LogLevel.Information : LogLevel.Warning)
                .AddSimpleConsole(options =>
                {
                    options.SingleLine = true;
                    options.TimestampFormat = "HH:mm:ss ";
                }));
            await app.RunAsync().ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
