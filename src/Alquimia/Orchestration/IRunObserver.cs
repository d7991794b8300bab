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
}
