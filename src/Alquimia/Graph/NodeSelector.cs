using Alquimia.Projects;
using Alquimia.Projects.Loading;

namespace Alquimia.Graph;

/// <summary>Evaluates a selector expression (see <see cref="PipelineGraph.Select(string)"/>) against one graph.</summary>
internal sealed class NodeSelector
{
    private static readonly string[] Layers = ["bronze", "silver", "gold", "curated"];
    private static readonly string[] Methods = ["layer", "tag", "source"];

    private readonly PipelineGraph _graph;

    public NodeSelector(PipelineGraph graph)
    {
        _graph = graph;
    }

    /// <summary>The union of the space-separated terms, each the intersection of its comma-separated parts.</summary>
    public HashSet<PipelineNode> Evaluate(string expression)
    {
        var result = NewSet();
        foreach (var term in expression.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            HashSet<PipelineNode>? intersection = null;
            foreach (var part in term.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var nodes = EvaluateGraphOperators(part);
                intersection ??= nodes;
                intersection.IntersectWith(nodes);
            }

            result.UnionWith(intersection ?? NewSet());
        }

        return result;
    }

    private HashSet<PipelineNode> EvaluateGraphOperators(string part)
    {
        var withAncestors = part.StartsWith('+');
        var withDescendants = part.EndsWith('+');
        var core = part.Trim('+');
        if (core.Length == 0)
        {
            throw new SelectorException(part, $"The selector '{part}' names nothing; write a name after '+', e.g. +gold.ft_chamado.");
        }

        var selected = EvaluateMethod(core);
        var result = NewSet(selected);
        foreach (var node in selected)
        {
            if (withAncestors)
            {
                result.UnionWith(_graph.Dag.Ancestors(node));
            }

            if (withDescendants)
            {
                result.UnionWith(_graph.Dag.Descendants(node));
            }
        }

        return result;
    }

    private List<PipelineNode> EvaluateMethod(string core)
    {
        var colon = core.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return [ByName(core)];
        }

        var method = core[..colon].ToLowerInvariant();
        var value = core[(colon + 1)..];
        var nodes = _graph.Dag.Nodes;
        return method switch
        {
            "layer" => Known(core, "layer", value, Layers,
                nodes.Where(node => string.Equals(node.Name.Schema, value, StringComparison.OrdinalIgnoreCase))),
            "tag" => Known(core, "tag", value, nodes.OfType<ModelNode>().SelectMany(node => node.Model.Config.Tags),
                nodes.Where(node => node is ModelNode model && model.Model.Config.Tags.Contains(value, StringComparer.OrdinalIgnoreCase))),
            "source" => Known(core, "source", value, _graph.Project.Sources.Select(source => source.Name),
                nodes.Where(node => node is SourceTableNode table && string.Equals(table.Source.Name, value, StringComparison.OrdinalIgnoreCase))),
            _ => throw new SelectorException(core,
                $"The selector '{core}' uses the method '{method}', which does not exist; the methods are {string.Join(", ", Methods)}.{Suggestions.DidYouMean(method, Methods)}"),
        };
    }

    private static List<PipelineNode> Known(string core, string what, string value, IEnumerable<string> known, IEnumerable<PipelineNode> matches)
    {
        var names = known.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        if (!names.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            var list = names.Count == 0 ? $"the project has no {what}" : $"the {what}s are {string.Join(", ", names)}";
            throw new SelectorException(core, $"The selector '{core}' names the {what} '{value}', which does not exist; {list}.{Suggestions.DidYouMean(value, names)}");
        }

        return matches.ToList();
    }

    private PipelineNode ByName(string name)
    {
        var nodes = _graph.Dag.Nodes;
        if (QualifiedName.TryParse(name) is { } qualified)
        {
            return _graph.Find(qualified) ?? throw Unknown(name);
        }

        var matches = nodes.Where(node => string.Equals(node.Name.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw Unknown(name),
            _ => throw new SelectorException(name,
                $"The selector '{name}' is ambiguous: it names {string.Join(" and ", matches.Select(node => node.Name))}. Write the one you mean with its layer, e.g. {matches[0].Name}."),
        };
    }

    private SelectorException Unknown(string name)
    {
        var names = _graph.Dag.Nodes.Select(node => node.Name.ToString()).ToList();
        var candidates = name.Contains('.', StringComparison.Ordinal)
            ? names
            : names.Concat(_graph.Dag.Nodes.Select(node => node.Name.Name));
        var suggestion = Suggestions.Closest(name, candidates);
        if (suggestion is not null && !suggestion.Contains('.', StringComparison.Ordinal))
        {
            suggestion = _graph.Dag.Nodes.First(node => node.Name.Name == suggestion).Name.ToString();
        }

        var hint = suggestion is null ? " Run `alquimia ls` to list them." : $" Did you mean '{suggestion}'?";
        return new SelectorException(name, $"The selector '{name}' names no model or source table.{hint}");
    }

    private static HashSet<PipelineNode> NewSet(IEnumerable<PipelineNode>? nodes = null) =>
        new(nodes ?? [], PipelineNodeComparer.Instance);
}
