namespace Alquimia.Orchestration;

/// <summary>
/// Crash points for tests that prove a crash leaves the warehouse as before a step or as after it, never between.
/// Production runs use <see cref="None"/>.
/// </summary>
public class FaultInjection
{
    /// <summary>Injects nothing.</summary>
    public static FaultInjection None { get; } = new();

    /// <summary>
    /// Kills the process (no cleanup, no rollback) when <paramref name="stepName"/> has written its data and its records
    /// and is about to commit. Read from <c>ALQUIMIA_CRASH_BEFORE_COMMIT</c> by the CLI.
    /// </summary>
    public static FaultInjection CrashBeforeCommit(string stepName) => new CrashBeforeCommitFault(stepName);

    /// <summary>Called after a step's writes, just before its commit.</summary>
    public virtual void BeforeCommit(string stepName) { }

    private sealed class CrashBeforeCommitFault(string target) : FaultInjection
    {
        public override void BeforeCommit(string stepName)
        {
            if (string.Equals(stepName, target, StringComparison.OrdinalIgnoreCase))
            {
                Environment.FailFast($"ALQUIMIA_CRASH_BEFORE_COMMIT: crashing before {stepName} commits.");
            }
        }
    }
}
