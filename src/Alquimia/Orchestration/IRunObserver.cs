using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Orchestration;

/// <summary>
/// Hears what a run does as it happens, to show progress (the CLI's live display) or to log. Called from the
/// runner's worker threads: implementations must be thread-safe and quick.
/// </summary>
public interface IRunObserver
{
    /// <summary>The run is planned: its steps, level by level.</summary>
    void RunPlanned(RunRecord run, IReadOnlyList<IReadOnlyList<string>> levels) { }

    /// <summary>An attempt of a step (a model, or a source table's ingestion) started.</summary>
    void StepStarted(string stepName, int attempt) { }

    /// <summary>A step ended: succeeded, failed (an attempt, which may be retried), skipped or cancelled.</summary>
    void StepFinished(ModelRunRecord record, bool willRetry) { }

    /// <summary>The run ended and its end is recorded: every step's final outcome.</summary>
    void RunFinished(RunSummary summary) { }
}

/// <summary>Several observers heard as one, in order.</summary>
public sealed class RunObservers(IReadOnlyList<IRunObserver> observers) : IRunObserver
{
    public void RunPlanned(RunRecord run, IReadOnlyList<IReadOnlyList<string>> levels)
    {
        foreach (var observer in observers)
        {
            observer.RunPlanned(run, levels);
        }
    }

    public void StepStarted(string stepName, int attempt)
    {
        foreach (var observer in observers)
        {
            observer.StepStarted(stepName, attempt);
        }
    }

    public void StepFinished(ModelRunRecord record, bool willRetry)
    {
        foreach (var observer in observers)
        {
            observer.StepFinished(record, willRetry);
        }
    }

    public void RunFinished(RunSummary summary)
    {
        foreach (var observer in observers)
        {
            observer.RunFinished(summary);
        }
    }
}
