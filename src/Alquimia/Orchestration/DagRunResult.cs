namespace Alquimia.Orchestration;

/// <summary>What became of each node of a <see cref="DagExecutor"/> run.</summary>
public sealed class DagRunResult<T>
    where T : notnull
{
    /// <summary>Nodes whose work succeeded, in the order they finished.</summary>
    public List<T> Succeeded { get; } = [];

    /// <summary>Nodes whose work failed.</summary>
    public List<T> Failed { get; } = [];

    /// <summary>The exception of each failed node whose work threw rather than returning false.</summary>
    public Dictionary<T, Exception> Errors { get; } = [];

    /// <summary>Nodes not run because an ancestor failed, each with that ancestor.</summary>
    public Dictionary<T, T> Skipped { get; } = [];

    /// <summary>Nodes cancelled while running, or never started because the run was cancelled.</summary>
    public List<T> Cancelled { get; } = [];

    internal bool Finished(T node) =>
        Succeeded.Contains(node) || Failed.Contains(node) || Skipped.ContainsKey(node) || Cancelled.Contains(node);
}
