using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;

namespace Alquimia.Cli;

/// <summary><c>alquimia run</c>: ingests and builds the selected models, with live progress and a summary table.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var select = CommonOptions.Select();
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "Rebuild incremental and delete_insert models from scratch, ignoring their watermarks." };
        var command = new Command("run", "Run the pipeline: ingest new landing files into bronze, then build every selected model level by level.")
        {
            project, select, fullRefresh,
        };
        command.SetAction((parseResult, _) => CliErrors.RunAsync(async () =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            using var loggers = CliLogging.Create(parseResult);
            using var warehouse = EmbeddedWarehouse.Open(loaded);
            var options = new RunOptions { Selector = parseResult.GetValue(select), FullRefresh = parseResult.GetValue(fullRefresh), Faults = FaultsFromEnvironment() };
            return await RunAsync(new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>()), loaded, options, RunSummaryView.Write)
                .ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>
    /// Runs with live progress, and writes the outcome with <paramref name="render"/>; Ctrl-C cancels cleanly (running
    /// queries are interrupted, nothing half-written is kept).
    /// </summary>
    public static async Task<int> RunAsync(PipelineRunner runner, Project project, RunOptions options, Action<RunSummary> render)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            // The first Ctrl-C cancels the run cleanly; a second one, with the run still stopping, ends the process.
            args.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new RunProgress();
            var summary = await progress.ShowAsync(observer => runner.RunAsync(project, options, observer, cancellation.Token)).ConfigureAwait(false);
            render(summary);
            return summary.Run.Status == RunStatus.Cancelled ? ExitCodes.Cancelled : summary.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>ALQUIMIA_CRASH_BEFORE_COMMIT=&lt;model&gt; kills the process just before that model commits: for crash tests.</summary>
    internal static FaultInjection FaultsFromEnvironment() =>
        Environment.GetEnvironmentVariable("ALQUIMIA_CRASH_BEFORE_COMMIT") is { Length: > 0 } model
            ? FaultInjection.CrashBeforeCommit(model)
            : FaultInjection.None;
}
