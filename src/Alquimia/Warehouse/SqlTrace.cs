using System.Collections.Concurrent;

namespace Alquimia.Warehouse;

/// <summary>
/// Records the SQL a run sends to DuckDB, one segment per committed step, so the benchmark can replay the very same
/// statements on DuckDB directly and measure what the framework adds. Off unless a benchmark starts it.
/// </summary>
internal static class SqlTrace
{
    private static readonly AsyncLocal<Recording?> CurrentRecording = new();
    private static readonly AsyncLocal<List<TracedStatement>?> CurrentSegment = new();
    private static readonly AsyncLocal<bool> RecordingOutside = new();

    /// <summary>Starts recording the statements of everything that runs from here on in this async flow.</summary>
    public static Recording Start() => CurrentRecording.Value = new Recording();

    /// <summary>Opens a segment for one step's transaction; its statements join the recording when it is committed.</summary>
    public static Segment? BeginSegment(string step)
    {
        if (CurrentRecording.Value is not { } recording)
        {
            return null;
        }

        var statements = new List<TracedStatement>();
        CurrentSegment.Value = statements;
        return new Segment(recording, step, statements);
    }

    /// <summary>Notes a statement about to run, when a segment is open in this flow.</summary>
    public static void Record(string sql, object?[] parameters) => CurrentSegment.Value?.Add(new TracedStatement(sql, parameters, RecordingOutside.Value));

    /// <summary>Marks the statements recorded until disposed as run on a second connection, outside the step's transaction (<see cref="ScratchTable"/>).</summary>
    public static IDisposable OutsideTransaction()
    {
        var previous = RecordingOutside.Value;
        RecordingOutside.Value = true;
        return new Restore(() => RecordingOutside.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>A recording: the committed segments in commit order.</summary>
    public sealed class Recording : IDisposable
    {
        public ConcurrentQueue<(string Step, IReadOnlyList<TracedStatement> Statements)> Segments { get; } = new();

        public void Dispose() => CurrentRecording.Value = null;
    }

    /// <summary>One step's statements; call <see cref="Commit"/> when its transaction committed.</summary>
    public sealed class Segment(Recording recording, string step, List<TracedStatement> statements)
    {
        public void Commit() => recording.Segments.Enqueue((step, statements));
    }
}

/// <summary>
/// A statement as it was sent: its SQL, positional parameter values, and whether it ran on a second connection,
/// committed on its own before the step's transaction read what it wrote.
/// </summary>
internal sealed record TracedStatement(string Sql, IReadOnlyList<object?> Parameters, bool OutsideTransaction = false);
