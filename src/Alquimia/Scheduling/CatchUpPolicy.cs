namespace Alquimia.Scheduling;

/// <summary>What a job does about the slots that passed while no server ran (<c>catch_up</c> in alquimia.yml).</summary>
public enum CatchUpPolicy
{
    /// <summary>Runs the latest missed slot only, with its run date: a daily snapshot is taken once, for the last day missed.</summary>
    Latest,

    /// <summary>Runs every missed slot, oldest first, each with its own run date: a daily delete_insert gets every day back.</summary>
    All,

    /// <summary>Runs none of them: the next slot is the first to run.</summary>
    None,
}
