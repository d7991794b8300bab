using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Orchestration;

/// <summary>How a run ended: its record and each step's final outcome, in the order of the plan.</summary>
public sealed record RunSummary(RunRecord Run, IReadOnlyList<IReadOnlyList<string>> Levels, IReadOnlyList<ModelRunRecord> Steps)
{
    /// <summary>The run's syncs of source tables (and replays), as recorded in <c>_alquimia.source_syncs</c>; a failed one left none.</summary>
    public IReadOnlyList<SourceSyncRecord> Syncs { get; init; } = [];

    /// <summary>
    /// The models a <c>--full-refresh</c> built as a normal run because they keep history (snapshots, delete_insert
    /// models, and any that says <c>full_refresh: false</c>); empty without <c>--full-refresh</c>.
    /// </summary>
    public IReadOnlyList<string> HistoryKept { get; init; } = [];

    /// <summary>True when every selected step succeeded.</summary>
    public bool Succeeded => Run.Status == RunStatus.Succeeded;
}
