using System.Text;
using Alquimia.Graph;

namespace Alquimia.Cli;

/// <summary>Renders a plan as text levels or as a Mermaid flowchart.</summary>
internal static class GraphText
{
    public static string Levels(PipelineGraph graph)
    {
        var text = new StringBuilder();
        for (var level = 0; level < graph.Levels.Count; level++)
        {
            text.Append("level ").Append(level + 1).AppendLine();
            foreach (var node in graph.Levels[level])
            {
                var upstream = graph.Dag.Upstream(node);
                text.Append("  ").Append(node.Name);
                if (upstream.Count > 0)
                {
                    text.Append("  ← ").Append(string.Join(", ", upstream.Select(parent => parent.Name)));
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    /// <summary>A <c>flowchart LR</c> with one subgraph per layer and an edge per dependency.</summary>
    public static string Mermaid(PipelineGraph graph)
    {
        var text = new StringBuilder().AppendLine("flowchart LR");
        foreach (var layer in graph.Dag.Nodes.GroupBy(node => node.Name.Schema))
        {
            text.Append("  subgraph ").AppendLine(layer.Key);
            foreach (var node in layer)
            {
                text.Append("    ").Append(Id(node)).Append("[\"").Append(node.Name).AppendLine("\"]");
            }

            text.AppendLine("  end");
        }

        foreach (var (upstream, downstream) in graph.Dag.Edges)
        {
            text.Append("  ").Append(Id(upstream)).Append(" --> ").AppendLine(Id(downstream));
        }

        return text.ToString();
    }

    private static string Id(PipelineNode node) => node.Name.Schema + "_" + node.Name.Name;
}
