using System.Collections.Concurrent;
using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Spectre.Console;

namespace Alquimia.Cli.Rendering;

/// <summary>
/// Shows a run as it happens: on a terminal, a live table of every step by level; when output is redirected (CI
/// logs, tests), one line per finished step.
/// </summary>
internal sealed class RunProgress : IRunObserver
{
    private readonly ConcurrentDictionary<string, StepState> _steps = new(StringComparer.Ordinal);
    private readonly bool _live = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private readonly Lock _console = new();
    private IReadOnlyList<IReadOnlyList<string>> _levels = [];

    public async Task<RunSummary> ShowAsync(Func<IRunObserver, Task<RunSummary>> run)
    {
        if (!_live)
        {
            return await run(this).ConfigureAwait(false);
        }

        return await AnsiConsole.Live(Render()).AutoClear(true).StartAsync(async context =>
        {
            var running = run(this);
            while (!running.IsCompleted)
            {
                context.UpdateTarget(Render());
                await Task.WhenAny(running, Task.Delay(150)).ConfigureAwait(false);
            }

            return await running.ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    public void RunPlanned(RunRecord run, IReadOnlyList<IReadOnlyList<string>> levels)
    {
        _levels = levels;
        foreach (var step in levels.SelectMany(level => level))
        {
            _steps[step] = new StepState("[grey]waiting[/]");
        }

        WriteLine($"Run {run.RunId}: {levels.Sum(level => level.Count)} steps in {levels.Count} levels");
    }

    public void StepStarted(string stepName, int attempt) =>
        _steps[stepName] = new StepState(attempt == 1 ? "[yellow]running[/]" : $"[yellow]running (attempt {attempt})[/]");

    public void StepFinished(ModelRunRecord record, bool willRetry)
    {
        var text = record.Status switch
        {
            RunStatus.Succeeded => $"[green]ok[/] {RunSummaryView.Rows(record)}{RunSummaryView.Quality(record)} in {RunSummaryView.Seconds(record.Duration)}",
            RunStatus.Warning => $"[yellow]warning[/] {RunSummaryView.Rows(record)}{RunSummaryView.Quality(record)} in {RunSummaryView.Seconds(record.Duration)}",
            RunStatus.Failed when willRetry => $"[yellow]attempt {record.Attempt} failed, retrying[/]",
            RunStatus.Failed => "[red]failed[/]",
            RunStatus.Skipped => "[grey]skipped[/]",
            _ => "[grey]cancelled[/]",
        };
        _steps[record.Model] = new StepState(text);
        WriteLine($"  {record.Model,-40} {Markup.Remove(text)}{(record.Error is { } error && record.Status == RunStatus.Failed ? ": " + error : "")}");
    }

    private void WriteLine(string line)
    {
        if (_live)
        {
            return;
        }

        lock (_console)
        {
            Console.WriteLine(line);
        }
    }

    private Table Render()
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("level").AddColumn("step").AddColumn("status");
        for (var level = 0; level < _levels.Count; level++)
        {
            foreach (var step in _levels[level])
            {
                table.AddRow((level + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(step), _steps.GetValueOrDefault(step)?.Markup ?? "");
            }
        }

        return table;
    }

    private sealed record StepState(string Markup);
}
