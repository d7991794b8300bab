using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Graph;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Server;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia jobs pause|resume|trigger NAME</c>: through the running server when there is one, else on the warehouse
/// itself. A pause outlives the server; a trigger runs the job now, for today in its time zone, outside its schedule.
/// </summary>
internal static class JobActionCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Action("pause", "Pause a job: its slots pass without a run until it is resumed.");
        yield return Action("resume", "Resume a paused job: its next slot runs.");
        yield return Action("trigger", "Run a job now, outside its schedule, for today in its time zone.");
    }

    private static Command Action(string action, string description)
    {
        var project = CommonOptions.Project();
        var name = new Argument<string>("job") { Description = "The job's name in alquimia.yml." };
        var command = new Command(action, description) { project, name };
        command.SetAction((parseResult, _) => CliErrors.RunAsync(async () =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            var job = Find(loaded, parseResult.GetValue(name)!);
            if (ServerFile.Find(loaded) is { } server)
            {
                using var client = RunningServer.Client(server, $"'{action}'");
                if (client is null)
                {
                    return ExitCodes.Invalid;
                }

                var run = await client.JobAsync(job.Name, action, id => Console.WriteLine($"The server runs job '{job.Name}' now (request {id})."), CancellationToken.None).ConfigureAwait(false);
                if (run is null)
                {
                    Console.WriteLine($"Job '{job.Name}' {(action == "pause" ? "paused" : "resumed")} by the server (process {server.ProcessId}).");
                    return ExitCodes.Success;
                }

                Console.WriteLine(run.RunId is null ? $"The run did not run: {run.Error}" : $"Run {run.RunId} {run.Status}.");
                return run.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
            }

            using var warehouse = EmbeddedWarehouse.Open(loaded);
            if (action == "trigger")
            {
                using var loggers = CliLogging.Create(parseResult);
                var runner = new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>());
                return await RunCommand.RunAsync(runner, JobRuns.ProjectFor(loaded, job), JobRuns.TriggeredNow(job, TimeProvider.System.GetUtcNow()), RunSummaryView.Write).ConfigureAwait(false);
            }

            JobRuns.SetPaused(warehouse, job, action == "pause", "the CLI", TimeProvider.System.GetUtcNow());
            Console.WriteLine($"Job '{job.Name}' {(action == "pause" ? "paused: its slots pass without a run until `alquimia jobs resume`" : "resumed: its next slot runs")}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static JobDefinition Find(Project project, string name) =>
        project.Jobs.FirstOrDefault(job => string.Equals(job.Name, name, StringComparison.Ordinal))
        ?? throw new SelectorException(name, project.Jobs.Count == 0
            ? $"Job '{name}': alquimia.yml has no jobs (docs/running.md, \"Jobs\")."
            : $"Job '{name}': alquimia.yml has no such job. Its jobs: {string.Join(", ", project.Jobs.Select(job => job.Name))}.");
}
