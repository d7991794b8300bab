using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Graph;
using Alquimia.Orchestration;
using Alquimia.Server;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia backfill --job j --from D1 --to D2</c>: one run per slot of the job whose run date is in the range, in
/// order, each recorded as that slot's run; slots already run are left alone, and the first failure stops the rest.
/// </summary>
internal static class BackfillCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var job = new Option<string>("--job") { Description = "The job of alquimia.yml whose slots to run.", Required = true };
        var from = CommonOptions.Date("--from", "The first run date whose slots run.");
        var to = CommonOptions.Date("--to", "The last run date whose slots run, included.");
        from.Required = true;
        to.Required = true;
        var command = new Command("backfill", "Run a job's slots whose run dates fall in a range, in order, each once.") { project, job, from, to };
        command.Validators.Add(result =>
        {
            if (CommonOptions.TryGetDate(result, from, out var first) && CommonOptions.TryGetDate(result, to, out var last) && first > last)
            {
                result.AddError($"--from {first:yyyy-MM-dd} comes after --to {last:yyyy-MM-dd}: the range runs forward in time.");
            }
        });
        command.SetAction((parseResult, _) => CliErrors.RunAsync(async () =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            var name = parseResult.GetValue(job)!;
            var definition = loaded.Jobs.FirstOrDefault(candidate => string.Equals(candidate.Name, name, StringComparison.Ordinal))
                ?? throw new SelectorException(name, loaded.Jobs.Count == 0
                    ? $"--job {name}: alquimia.yml has no jobs (docs/running.md, \"Jobs\")."
                    : $"--job {name}: alquimia.yml has no such job. Its jobs: {string.Join(", ", loaded.Jobs.Select(candidate => candidate.Name))}.");
            var slots = JobRuns.SlotsFor(definition, parseResult.GetValue(from)!.Value, parseResult.GetValue(to)!.Value);
            if (slots.Count == 0)
            {
                Console.WriteLine($"Job '{definition.Name}' has no slot with a run date from {parseResult.GetValue(from):yyyy-MM-dd} to {parseResult.GetValue(to):yyyy-MM-dd}.");
                return ExitCodes.Success;
            }

            if (ServerFile.Find(loaded) is { } server)
            {
                return await BackfillOnServerAsync(server, definition.Name, parseResult.GetValue(from)!.Value, parseResult.GetValue(to)!.Value, slots.Count).ConfigureAwait(false);
            }

            using var loggers = CliLogging.Create(parseResult);
            using var warehouse = EmbeddedWarehouse.Open(loaded);
            var runner = new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>());
            var jobProject = JobRuns.ProjectFor(loaded, definition);
            for (var index = 0; index < slots.Count; index++)
            {
                var slot = slots[index];
                var local = TimeZoneInfo.ConvertTime(slot.At, definition.TimeZone);
                if (JobRuns.RunOf(warehouse, slot) is { } earlier)
                {
                    Console.WriteLine($"Slot {local:yyyy-MM-dd HH:mm zzz} (run date {slot.RunDate:yyyy-MM-dd}) already ran in run {earlier}: left alone.");
                    continue;
                }

                Console.WriteLine($"Slot {local:yyyy-MM-dd HH:mm zzz}, run date {slot.RunDate:yyyy-MM-dd} ({index + 1} of {slots.Count})");
                var exitCode = await RunCommand.RunAsync(runner, jobProject, JobRuns.OptionsFor(slot), RunSummaryView.Write).ConfigureAwait(false);
                if (exitCode != ExitCodes.Success)
                {
                    if (index < slots.Count - 1)
                    {
                        Console.WriteLine($"The backfill stopped at run date {slot.RunDate:yyyy-MM-dd}: {slots.Count - index - 1} slot(s) after it were not run.");
                    }

                    return exitCode;
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The backfill sent to the server that owns the warehouse: it queues the slots not run yet, all at once, and this
    /// waits for each in turn. Unlike a backfill on the warehouse, a failed slot does not stop the ones after it.
    /// </summary>
    private static async Task<int> BackfillOnServerAsync(ServerFile server, string job, DateOnly first, DateOnly last, int slotCount)
    {
        using var client = RunningServer.Client(server, "the backfill");
        if (client is null)
        {
            return ExitCodes.Invalid;
        }

        var runs = await client.BackfillAsync(
            job, first, last,
            (id, runDate) => Console.WriteLine($"alquimia serve (process {server.ProcessId}) queues the slot of run date {runDate:yyyy-MM-dd} as request {id}."),
            CancellationToken.None).ConfigureAwait(false);
        if (runs.Count < slotCount)
        {
            Console.WriteLine($"{slotCount - runs.Count} slot(s) ran already: left alone.");
        }

        foreach (var (runDate, run) in runs)
        {
            Console.WriteLine(run.RunId is null ? $"Run date {runDate:yyyy-MM-dd}: did not run: {run.Error}" : $"Run date {runDate:yyyy-MM-dd}: run {run.RunId} {run.Status}.");
        }

        return runs.All(pair => pair.Run.Succeeded) ? ExitCodes.Success : ExitCodes.Failed;
    }
}
