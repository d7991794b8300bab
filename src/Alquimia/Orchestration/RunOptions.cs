namespace Alquimia.Orchestration;

/// <summary>How to run a project.</summary>
public sealed record RunOptions
{
    /// <summary>Which steps to run, in dbt's selector syntax (<c>+tb_chamado layer:gold</c>); null runs everything.</summary>
    public string? Selector { get; init; }

    /// <summary>Rebuild incremental and delete_insert models from scratch, ignoring their watermarks.</summary>
    public bool FullRefresh { get; init; }

    /// <summary>The clock for run records, timeouts and retry waits. The default is the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Crash points for tests. The default injects nothing.</summary>
    public FaultInjection Faults { get; init; } = FaultInjection.None;
}
