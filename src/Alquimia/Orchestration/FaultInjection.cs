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

    /// <summary>
    /// Fails every write to the <c>_alquimia</c> records from the moment <paramref name="stepName"/> records its outcome
    /// on, as a full disk would: for tests of how a run that cannot record itself ends.
    /// </summary>
    public static FaultInjection DiskFullFrom(string stepName) => new DiskFullFault(stepName);

    /// <summary>Called after a step's writes, just before its commit.</summary>
    public virtual void BeforeCommit(string stepName) { }

    /// <summary>Called before each write of the run's records: a step's outcome (with its name) or the run's end (null).</summary>
    public virtual void BeforeRecording(string? stepName) { }

    private sealed class DiskFullFault(string target) : FaultInjection
    {
        private volatile bool _full;

        public override void BeforeRecording(string? stepName)
        {
            _full |= string.Equals(stepName, target, StringComparison.OrdinalIgnoreCase);
            if (_full)
            {
                throw new IOException($"Could not write to the warehouse's file: No space left on device (injected for {target})");
            }
        }
    }

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
