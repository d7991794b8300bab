using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Graph;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Server;
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
        var runDate = CommonOptions.Date("--run-date", "The day the run is for, run_date() in the models' SQL. The default is today in the project's timezone (UTC when unset).");
        var from = CommonOptions.Date("--from", "With --to: run once per day from this date to --to, in order (a backfill), stopping at the first day that fails.");
        var to = CommonOptions.Date("--to", "The last day of a --from backfill, included.");
        var dropHistory = new Option<string[]>("--drop-history")
        {
            Description = "Drop the history of these models (snapshots, delete_insert, full_refresh: false) and rebuild each from its query alone. "
                + "Nothing brings the dropped days or versions back.",
            HelpName = "layer.model",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("run", "Run the pipeline: ingest new landing files into bronze, then build every selected model level by level.")
        {
            project, select, fullRefresh, runDate, from, to, dropHistory,
        };
        command.Validators.Add(result =>
        {
            if (!CommonOptions.TryGetDate(result, runDate, out var day) || !CommonOptions.TryGetDate(result, from, out var first)
                || !CommonOptions.TryGetDate(result, to, out var last))
            {
                return;
            }

            if (day is not null && (first is not null || last is not null))
            {
                result.AddError("--run-date runs one day and --from/--to a range of days: give one or the other.");
            }
            else if (first is null != last is null)
            {
                result.AddError("--from and --to go together: give both, e.g. --from 2026-12-01 --to 2026-12-06.");
            }
            else if (first > last)
            {
                result.AddError($"--from {first:yyyy-MM-dd} comes after --to {last:yyyy-MM-dd}: the range runs forward in time.");
            }
        });
        command.SetAction((parseResult, _) => CliErrors.RunAsync(async () =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            if (ServerFile.Find(loaded) is { } server)
            {
                var dropped = (parseResult.GetValue(dropHistory) ?? []).Select(name => ModelNamed(loaded, name).ToString()).ToList();
                var days = parseResult.GetValue(from) is { } start && parseResult.GetValue(to) is { } end
                    ? Enumerable.Range(0, end.DayNumber - start.DayNumber + 1).Select(offset => (DateOnly?)start.AddDays(offset)).ToList()
                    : [parseResult.GetValue(runDate)];
                var asked = new RemoteRunOptions(parseResult.GetValue(select), null) { FullRefresh = parseResult.GetValue(fullRefresh), DropHistory = dropped };
                return await RunOnServerAsync(server, asked, days).ConfigureAwait(false);
            }

            using var loggers = CliLogging.Create(parseResult);
            using var warehouse = EmbeddedWarehouse.Open(loaded);
            var runner = new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>());
            var options = new RunOptions
            {
                Selector = parseResult.GetValue(select),
                FullRefresh = parseResult.GetValue(fullRefresh),
                DropHistory = [.. (parseResult.GetValue(dropHistory) ?? []).Select(name => ModelNamed(loaded, name))],
                Faults = FaultsFromEnvironment(),
            };
            if (parseResult.GetValue(from) is not { } first || parseResult.GetValue(to) is not { } last)
            {
                return await RunAsync(runner, loaded, options with { RunDate = parseResult.GetValue(runDate) }, RunSummaryView.Write).ConfigureAwait(false);
            }

            return await BackfillAsync(runner, loaded, options, first, last).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>
    /// The run sent to the server that owns the warehouse: it joins the server's queue, and this waits for it to end.
    /// A range of days is one run per day, each sent when the one before it succeeded, as on the warehouse: a day's
    /// snapshot or delete_insert window builds on the days before it. --full-refresh and --drop-history apply to the
    /// first day only. Ctrl-C stops the waiting, not the run.
    /// </summary>
    public static async Task<int> RunOnServerAsync(ServerFile server, RemoteRunOptions asked, List<DateOnly?> days)
    {
        using var client = RunningServer.Client(server, "the run");
        if (client is null)
        {
            return ExitCodes.Invalid;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            args.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            for (var index = 0; index < days.Count; index++)
            {
                var first = index == 0;
                var run = await client.RunAsync(
                    first ? asked with { RunDate = days[index] } : asked with { RunDate = days[index], FullRefresh = false, DropHistory = [] },
                    id => Console.WriteLine($"alquimia serve (process {server.ProcessId}, {server.Url}) owns the warehouse: the run{(days[index] is { } day ? $" for {day:yyyy-MM-dd}" : "")} joins its queue as request {id}."),
                    cancellation.Token).ConfigureAwait(false);
                Console.WriteLine(run.RunId is null ? $"The run did not run: {run.Error}" : $"Run {run.RunId} {run.Status}. `alquimia status` shows its steps.");
                if (!run.Succeeded)
                {
                    if (index < days.Count - 1)
                    {
                        Console.WriteLine($"The backfill stopped at {days[index]:yyyy-MM-dd}: {days.Count - index - 1} day(s) after it were not run.");
                    }

                    return ExitCodes.Failed;
                }
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopped waiting: the run stays in the server's queue.");
            return ExitCodes.Cancelled;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// One run per day from <paramref name="first"/> to <paramref name="last"/>, in order: a day's snapshot or
    /// delete_insert window builds on the days before it, so the first day that does not succeed ends the backfill.
    /// --full-refresh and --drop-history apply to the first day only; the days after it build on what it rebuilt.
    /// </summary>
    private static async Task<int> BackfillAsync(PipelineRunner runner, Project project, RunOptions options, DateOnly first, DateOnly last)
    {
        var days = last.DayNumber - first.DayNumber + 1;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            Console.WriteLine($"Run date {day:yyyy-MM-dd} ({day.DayNumber - first.DayNumber + 1} of {days})");
            var exitCode = await RunAsync(runner, project, options with { RunDate = day, FullRefresh = options.FullRefresh && day == first, DropHistory = day == first ? options.DropHistory : [] }, RunSummaryView.Write)
                .ConfigureAwait(false);
            if (exitCode != ExitCodes.Success)
            {
                if (day < last)
                {
                    Console.WriteLine($"The backfill stopped at {day:yyyy-MM-dd}: {last.DayNumber - day.DayNumber} day(s) after it were not run. Fix the cause, then run --from {day:yyyy-MM-dd} --to {last:yyyy-MM-dd}.");
                }

                return exitCode;
            }
        }

        return ExitCodes.Success;
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

    /// <summary>
    /// The model <paramref name="text"/> names, resolved as a selector resolves a name (<c>layer.model</c>, or the name
    /// alone when no other model shares it, with its suggestions when it names nothing).
    /// </summary>
    private static QualifiedName ModelNamed(Project project, string text)
    {
        var selected = new PipelineGraph(project).Select(text).Levels.SelectMany(level => level).ToList();
        // Named, not matched by a tag or a graph operator: dropping history is never a side effect of a wide selector.
        return selected is [ModelNode { Model: var model }]
            && (string.Equals(model.Name.ToString(), text, StringComparison.OrdinalIgnoreCase) || string.Equals(model.Name.Name, text, StringComparison.OrdinalIgnoreCase))
            ? model.Name
            : throw new SelectorException(text, $"--drop-history takes the name of one model, as layer.model; '{text}' is not one. `alquimia ls` lists them.");
    }

    /// <summary>ALQUIMIA_CRASH_BEFORE_COMMIT=&lt;model&gt; kills the process just before that model commits: for crash tests.</summary>
    internal static FaultInjection FaultsFromEnvironment() =>
        Environment.GetEnvironmentVariable("ALQUIMIA_CRASH_BEFORE_COMMIT") is { Length: > 0 } model
            ? FaultInjection.CrashBeforeCommit(model)
            : FaultInjection.None;
}
