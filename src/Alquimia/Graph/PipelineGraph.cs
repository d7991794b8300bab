using Alquimia.Projects;

namespace Alquimia.Graph;

/// <summary>
/// A project's steps and their dependencies: every source table (its bronze ingestion) and every model, with an edge
/// from each table a model reads to the model. Nodes are ordered by name, so levels list the same steps in the same
/// order on every run. <see cref="Select(string)"/> narrows it the way <c>alquimia run --select</c> does.
/// </summary>
public sealed class PipelineGraph
{
    private IReadOnlyList<IReadOnlyList<PipelineNode>>? _levels;

    /// <summary>The whole graph of <paramref name="project"/>.</summary>
    /// <exception cref="ArgumentException">A model reads a table that is neither a model nor a source table (a loaded project never does).</exception>
    public PipelineGraph(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var nodes = project.SourceTables
            .Select(pair => (PipelineNode)new SourceTableNode(pair.Source, pair.Table))
            .Concat(project.Models.Select(model => new ModelNode(model)))
            .OrderBy(node => node.Name.ToString(), StringComparer.Ordinal)
            .ToList();
        var byName = nodes.ToDictionary(node => node.Name);
        var edges = new List<(PipelineNode, PipelineNode)>();
        foreach (var model in project.Models)
        {
            foreach (var reference in model.References)
            {
                var upstream = byName.GetValueOrDefault(reference)
                    ?? throw new ArgumentException($"Model '{model.Name}' reads '{reference}', which is neither a model nor a source table.", nameof(project));
                edges.Add((upstream, byName[model.Name]));
            }
        }

        Project = project;
        Dag = new Dag<PipelineNode>(nodes, edges, PipelineNodeComparer.Instance);
    }

    private PipelineGraph(Project project, Dag<PipelineNode> dag)
    {
        Project = project;
        Dag = dag;
    }

    /// <summary>The project the graph was built from (all of it, whatever was selected).</summary>
    public Project Project { get; }

    /// <summary>The steps and their dependencies.</summary>
    public Dag<PipelineNode> Dag { get; }

    /// <summary>The steps that can run together, level after level: bronze ingestion first, then what reads only it, and so on.</summary>
    /// <exception cref="GraphCycleException">The graph has a cycle (a loaded project never does).</exception>
    public IReadOnlyList<IReadOnlyList<PipelineNode>> Levels => _levels ??= Dag.Levels();

    /// <summary>The step that writes <paramref name="name"/>, or null.</summary>
    public PipelineNode? Find(QualifiedName name) => Dag.Nodes.FirstOrDefault(node => node.Name == name);

    /// <summary>
    /// The graph of the steps <paramref name="selector"/> selects, with the dependencies between them; null or blank
    /// selects everything. The syntax is dbt's: <c>tb_chamado</c> or <c>silver.tb_chamado</c>, <c>+name</c> (with its
    /// ancestors), <c>name+</c> (with its descendants), <c>layer:gold</c>, <c>tag:kpi</c>, <c>source:postgres_public</c>;
    /// terms separated by spaces are a union, and a comma inside one term an intersection (<c>layer:gold,tag:kpi</c>).
    /// </summary>
    /// <exception cref="SelectorException">A term names no step, layer, tag or source, or a bare name is in two layers.</exception>
    public PipelineGraph Select(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return this;
        }

        var selected = new NodeSelector(this).Evaluate(selector);
        return new PipelineGraph(Project, Dag.Subgraph(selected.Contains));
    }

    /// <summary>The graph of exactly the steps named, with the dependencies between them.</summary>
    /// <exception cref="SelectorException">A name is neither a model nor a source table.</exception>
    public PipelineGraph Select(IReadOnlyCollection<QualifiedName> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var unknown = steps.FirstOrDefault(name => Find(name) is null);
        if (unknown is not null)
        {
            throw new SelectorException(unknown.ToString(), $"'{unknown}' is neither a model nor a source table of the project.");
        }

        var selected = steps.ToHashSet();
        return new PipelineGraph(Project, Dag.Subgraph(node => selected.Contains(node.Name)));
    }
}
