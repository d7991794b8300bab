namespace Alquimia.Orchestration;

/// <summary>
/// Runs work over a dependency graph: a node starts as soon as all its upstreams inside the graph succeeded, with
/// at most <c>maxParallelism</c> running at once. A failed node's descendants are skipped while independent branches
/// go on; after cancellation nothing new starts and what is running is awaited.
/// </summary>
public static class DagExecutor
{
    /// <param name="nodes">The nodes, in the order ready nodes should start (e.g. level by level).</param>
    /// <param name="upstream">A node's direct upstreams; those outside <paramref name="nodes"/> are taken as done.</param>
    /// <param name="work">Runs one node; returns false (or throws) when it failed.</param>
    /// <param name="maxParallelism">How many nodes may run at once; at least 1.</param>
    public static async Task<DagRunResult<T>> RunAsync<T>(
        IReadOnlyList<T> nodes,
        Func<T, IEnumerable<T>> upstream,
        Func<T, CancellationToken, Task<bool>> work,
        int maxParallelism,
        CancellationToken cancellationToken)
        where T : notnull
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        var order = nodes.Select((node, index) => (node, index)).ToDictionary(pair => pair.node, pair => pair.index);
        var waitingOn = nodes.ToDictionary(node => node, node => upstream(node).Where(order.ContainsKey).Distinct().Count());
        var downstream = nodes.ToDictionary(node => node, _ => new List<T>());
        foreach (var node in nodes)
        {
            foreach (var parent in upstream(node).Where(order.ContainsKey).Distinct())
            {
                downstream[parent].Add(node);
            }
        }

        var result = new DagRunResult<T>();
        var ready = new PriorityQueue<T, int>(nodes.Where(node => waitingOn[node] == 0).Select(node => (node, order[node])));
        var running = new Dictionary<Task<bool>, T>();

        while (ready.Count > 0 || running.Count > 0)
        {
            while (ready.Count > 0 && running.Count < maxParallelism && !cancellationToken.IsCancellationRequested)
            {
                var node = ready.Dequeue();
                running.Add(Task.Run(() => work(node, cancellationToken), CancellationToken.None), node);
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var done = running[finished];
            running.Remove(finished);

            if (finished.IsCompletedSuccessfully && finished.Result)
            {
                result.Succeeded.Add(done);
                foreach (var child in downstream[done].Where(child => --waitingOn[child] == 0 && !result.Skipped.ContainsKey(child)))
                {
                    ready.Enqueue(child, order[child]);
                }
            }
            else if (finished.IsCanceled || (finished.IsFaulted && cancellationToken.IsCancellationRequested))
            {
                result.Cancelled.Add(done);
            }
            else
            {
                result.Failed.Add(done);
                if (finished.Exception?.InnerException is { } error)
                {
                    result.Errors[done] = error;
                }

                SkipDescendants(done, done, downstream, result);
            }
        }

        result.Cancelled.AddRange(nodes.Where(node => !result.Finished(node)));
        return result;
    }

    private static void SkipDescendants<T>(T node, T failed, Dictionary<T, List<T>> downstream, DagRunResult<T> result)
        where T : notnull
    {
        foreach (var child in downstream[node])
        {
            if (result.Skipped.TryAdd(child, failed))
            {
                SkipDescendants(child, failed, downstream, result);
            }
        }
    }
}
