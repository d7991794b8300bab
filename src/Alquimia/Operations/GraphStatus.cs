using Alquimia.Graph;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Operations;

/// <summary>One step of the pipeline's graph with its latest attempt.</summary>
/// <param name="Name">The relation the step writes.</param>
/// <param name="Kind"><c>source</c> for a source table's ingestion, else the model's materialization (<c>table</c>, <c>incremental</c>…).</param>
/// <param name="Level">Its level in the run: 0 for ingestion, then one more than the deepest table it reads.</param>
/// <param name="LastRun">Its latest attempt in any run; null when it never ran.</param>
public sealed record GraphNodeStatus(QualifiedName Name, string Kind, int Level, ModelRunRecord? LastRun);

/// <summary>A dependency: <paramref name="To"/> reads <paramref name="From"/>.</summary>
public sealed record GraphEdge(QualifiedName From, QualifiedName To);

/// <summary>The project's whole graph (what <c>alquimia run</c> runs) and where each step stands: the dashboard's DAG.</summary>
public sealed record GraphStatus(IReadOnlyList<GraphNodeStatus> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    /// <summary>Reads each step's latest attempt on a connection of its own, beside a run going on.</summary>
    public static GraphStatus Read(EmbeddedWarehouse warehouse, Project project)
    {
        var graph = new PipelineGraph(project);
        var latest = warehouse.Read(connection => RelationCatalog.KindOf(connection, new(Layer.StateSchema, "model_runs")) == RelationKind.None
            ? []
            : RunLedger.LatestModelRuns(connection));
        var nodes = graph.Levels.SelectMany((level, index) => level.Select(node => new GraphNodeStatus(
                node.Name,
                node is ModelNode model ? model.Model.Config.Materialized.ConfigName() : "source",
                index,
                latest.GetValueOrDefault(node.Name.ToString()))))
            .ToList();
        var edges = graph.Dag.Edges.Select(edge => new GraphEdge(edge.Upstream.Name, edge.Downstream.Name)).ToList();
        return new GraphStatus(nodes, edges);
    }
}
