using Alquimia.Graph;

namespace Alquimia.Orchestration;

/// <summary>
/// The order ready steps start in: the step heading the longest chain of remaining work first, each step weighing
/// what it took in the last run. With fewer slots than ready steps, starting the big ingestion whose models wait on
/// it before a small one that nothing waits on shortens the run (at 10M chamados, silver waits on bronze.chamados and
/// bronze.clientes, then the facts on silver). Steps never run before are weighed one second.
/// </summary>
internal static class CriticalPath
{
    private static readonly TimeSpan Unknown = TimeSpan.FromSeconds(1);

    public static List<PipelineNode> Order(PipelineGraph graph, IReadOnlyDictionary<string, TimeSpan> lastDurations)
    {
        var levels = graph.Levels.SelectMany(level => level).ToList();

        // Levels reversed: every child's chain is known before its parents'.
        var chain = new Dictionary<PipelineNode, TimeSpan>();
        foreach (var node in Enumerable.Reverse(levels))
        {
            var own = lastDurations.GetValueOrDefault(node.Name.ToString(), Unknown);
            chain[node] = own + graph.Dag.Downstream(node).Select(child => chain[child]).DefaultIfEmpty(TimeSpan.Zero).Max();
        }

        var position = levels.Select((node, index) => (node, index)).ToDictionary(pair => pair.node, pair => pair.index);
        return [.. levels.OrderByDescending(node => chain[node]).ThenBy(node => position[node])];
    }
}
