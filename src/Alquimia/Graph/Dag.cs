namespace Alquimia.Graph;

/// <summary>
/// A directed graph of <typeparamref name="T"/> whose edges run upstream → downstream (a table → the models that read
/// it). Immutable. Nodes keep the order they were given in, and every listing (upstreams, levels, descendants) follows
/// that order, so the same input always gives the same plan. Self-edges are allowed, and make a cycle.
/// </summary>
public sealed class Dag<T> where T : notnull
{
    private readonly List<T> _nodes;
    private readonly Dictionary<T, int> _index;
    private readonly List<int>[] _upstream;
    private readonly List<int>[] _downstream;

    /// <param name="nodes">The nodes, in the order listings follow; duplicates are ignored.</param>
    /// <param name="edges">Pairs (upstream, downstream); both ends must be nodes.</param>
    /// <param name="comparer">How nodes are told apart; the default is <typeparamref name="T"/>'s equality.</param>
    public Dag(IEnumerable<T> nodes, IEnumerable<(T Upstream, T Downstream)> edges, IEqualityComparer<T>? comparer = null)
    {
        _index = new Dictionary<T, int>(comparer);
        _nodes = [];
        foreach (var node in nodes)
        {
            if (_index.TryAdd(node, _nodes.Count))
            {
                _nodes.Add(node);
            }
        }

        _upstream = _nodes.Select(_ => new List<int>()).ToArray();
        _downstream = _nodes.Select(_ => new List<int>()).ToArray();
        foreach (var (from, to) in edges)
        {
            var upstream = IndexOf(from);
            var downstream = IndexOf(to);
            if (!_downstream[upstream].Contains(downstream))
            {
                _downstream[upstream].Add(downstream);
                _upstream[downstream].Add(upstream);
            }
        }

        foreach (var list in _upstream.Concat(_downstream))
        {
            list.Sort();
        }
    }

    /// <summary>The nodes, in the order given.</summary>
    public IReadOnlyList<T> Nodes => _nodes;

    /// <summary>Every edge (upstream, downstream), in node order.</summary>
    public IEnumerable<(T Upstream, T Downstream)> Edges =>
        _downstream.SelectMany((targets, from) => targets.Select(to => (_nodes[from], _nodes[to])));

    public bool Contains(T node) => _index.ContainsKey(node);

    /// <summary>The nodes <paramref name="node"/> reads directly.</summary>
    public IReadOnlyList<T> Upstream(T node) => _upstream[IndexOf(node)].Select(i => _nodes[i]).ToList();

    /// <summary>The nodes that read <paramref name="node"/> directly.</summary>
    public IReadOnlyList<T> Downstream(T node) => _downstream[IndexOf(node)].Select(i => _nodes[i]).ToList();

    /// <summary>Every node <paramref name="node"/> depends on, directly or not, without the node itself.</summary>
    public IReadOnlyList<T> Ancestors(T node) => Reach(node, _upstream);

    /// <summary>Every node that depends on <paramref name="node"/>, directly or not, without the node itself.</summary>
    public IReadOnlyList<T> Descendants(T node) => Reach(node, _downstream);

    /// <summary>The graph of the nodes <paramref name="keep"/> accepts and the edges between them.</summary>
    public Dag<T> Subgraph(Func<T, bool> keep)
    {
        var kept = _nodes.Where(keep).ToList();
        var keptSet = new HashSet<T>(kept, _index.Comparer);
        return new Dag<T>(kept, Edges.Where(edge => keptSet.Contains(edge.Upstream) && keptSet.Contains(edge.Downstream)), _index.Comparer);
    }

    /// <summary>
    /// The nodes cut into levels that can run in order, each level's nodes at once: a node with no upstream is in the
    /// first level, any other is one level after its latest upstream. Inside a level, nodes keep the graph's order.
    /// </summary>
    /// <exception cref="GraphCycleException">The graph has a cycle, so no order exists.</exception>
    public IReadOnlyList<IReadOnlyList<T>> Levels()
    {
        if (FindCycle() is { } cycle)
        {
            throw new GraphCycleException(cycle.Select(node => node.ToString() ?? "").ToList());
        }

        var level = new int[_nodes.Count];
        var remaining = _upstream.Select(list => list.Count).ToArray();
        var ready = new Queue<int>(Enumerable.Range(0, _nodes.Count).Where(i => remaining[i] == 0));
        while (ready.TryDequeue(out var current))
        {
            foreach (var next in _downstream[current])
            {
                level[next] = Math.Max(level[next], level[current] + 1);
                if (--remaining[next] == 0)
                {
                    ready.Enqueue(next);
                }
            }
        }

        return Enumerable.Range(0, _nodes.Count)
            .GroupBy(i => level[i])
            .OrderBy(group => group.Key)
            .Select(group => (IReadOnlyList<T>)group.Select(i => _nodes[i]).ToList())
            .ToList();
    }

    /// <summary>
    /// A cycle as the path that closes it, first node repeated at the end (<c>a → b → a</c>), or null when there is
    /// none. The search starts from the nodes in order, so the same graph always reports the same cycle.
    /// </summary>
    public IReadOnlyList<T>? FindCycle()
    {
        var state = new byte[_nodes.Count]; // 0 unvisited, 1 on the current path, 2 done
        var path = new List<int>();
        for (var start = 0; start < _nodes.Count; start++)
        {
            if (state[start] == 0 && Visit(start, state, path) is { } cycle)
            {
                return cycle.Select(i => _nodes[i]).ToList();
            }
        }

        return null;
    }

    private List<int>? Visit(int node, byte[] state, List<int> path)
    {
        state[node] = 1;
        path.Add(node);
        foreach (var next in _downstream[node])
        {
            if (state[next] == 1)
            {
                return [.. path.Skip(path.IndexOf(next)), next];
            }

            if (state[next] == 0 && Visit(next, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[node] = 2;
        return null;
    }

    private List<T> Reach(T node, List<int>[] direction)
    {
        var start = IndexOf(node);
        var seen = new bool[_nodes.Count];
        var stack = new Stack<int>(direction[start]);
        while (stack.TryPop(out var current))
        {
            if (!seen[current])
            {
                seen[current] = true;
                foreach (var next in direction[current])
                {
                    stack.Push(next);
                }
            }
        }

        seen[start] = false;
        return Enumerable.Range(0, _nodes.Count).Where(i => seen[i]).Select(i => _nodes[i]).ToList();
    }

    private int IndexOf(T node) =>
        _index.TryGetValue(node, out var index) ? index : throw new ArgumentException($"'{node}' is not a node of this graph.", nameof(node));
}
