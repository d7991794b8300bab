using Alquimia.Projects;
using Alquimia.Scheduling;
using Alquimia.Warehouse;

namespace Alquimia.Orchestration;

/// <summary>How to run a project.</summary>
public sealed record RunOptions
{
    /// <summary>Which steps to run, in dbt's selector syntax (<c>+tb_chamado layer:gold</c>); null runs everything.</summary>
    public string? Selector { get; init; }

    /// <summary>
    /// Exactly these steps, by name, instead of <see cref="Selector"/>: for names a selector cannot spell (a source
    /// table named <c>My Table</c>). The default is null: the selector decides.
    /// </summary>
    public IReadOnlyCollection<QualifiedName>? Steps { get; init; }

    /// <summary>
    /// Rebuild incremental models (and those that say <c>full_refresh: true</c>) from scratch, ignoring their
    /// watermarks. Models that keep history (<see cref="ModelConfig.KeepsHistory"/>) are built as in a normal run.
    /// </summary>
    public bool FullRefresh { get; init; }

    /// <summary>
    /// Models whose history this run drops, rebuilding each from its query alone, whatever <c>full_refresh</c> says:
    /// a loss that cannot be undone, so each model is named. Every one must be among the run's selected models.
    /// </summary>
    public IReadOnlyCollection<QualifiedName> DropHistory { get; init; } = [];

    /// <summary>
    /// Rebuild the selected source tables' bronze from their landing files alone, without contacting the sources
    /// (<c>alquimia ingest --replay</c>); the selected models build as usual. The default syncs the sources.
    /// </summary>
    public bool Replay { get; init; }

    /// <summary>
    /// The day the run is for, run_date() in the models' SQL (a backfill of a missed day, or tomorrow simulated). The
    /// default is null: today in the project's time zone.
    /// </summary>
    public DateOnly? RunDate { get; init; }

    /// <summary>
    /// The job slot this run is for, recorded with the run's start (<c>_alquimia.job_slots</c>); the run refuses to start
    /// when the slot was run already. The default is null: a run no schedule asked for.
    /// </summary>
    public JobSlot? Slot { get; init; }

    /// <summary>What the run does when another run writes the warehouse: wait its turn (the default) or give up at once.</summary>
    public WhenBusy WhenBusy { get; init; } = WhenBusy.Wait;

    /// <summary>Crash points for tests. The default injects nothing.</summary>
    public FaultInjection Faults { get; init; } = FaultInjection.None;
}
