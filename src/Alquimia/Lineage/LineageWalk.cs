using System.Text.Json;
using Alquimia.Projects;

namespace Alquimia.Lineage;

/// <summary>
/// One walk of a model's syntax tree (json_serialize_sql's), query by query: each query's FROM becomes relations in a
/// <see cref="Scope"/>, its select list output columns with their sources, its WHERE, GROUP BY, HAVING, QUALIFY and
/// ORDER BY the INDIRECT inputs of its rows. CTEs are walked once, where they are declared.
/// </summary>
internal sealed partial class LineageWalk(Func<QualifiedName, IReadOnlyList<string>?> columnsOf, Func<string, bool> isAggregate, Func<string, bool> isMasking)
{
    private readonly List<Dictionary<string, (QueryShape? Shape, IReadOnlyList<string> Aliases)>> _ctes = [];
    private readonly List<string> _unresolved = [];

    /// <summary>The shape of a query node (SELECT_NODE, SET_OPERATION_NODE…), seeing <paramref name="outer"/>'s names when correlated.</summary>
    public QueryShape Query(JsonElement node, Scope? outer)
    {
        var declared = DeclareCtes(node);
        try
        {
            var type = Text(node, "type");
            switch (type)
            {
                case "SELECT_NODE":
                    return Select(node, outer);
                case "SET_OPERATION_NODE" or "RECURSIVE_CTE_NODE":
                    return SetOperation(node, outer);
                default:
                    _unresolved.Add($"A query of kind {type} is not analyzed: its columns have no lineage.");
                    var unknown = new QueryShape();
                    unknown.OpenStars.Add(new OpaqueRelation(type ?? "query"));
                    return unknown;
            }
        }
        finally
        {
            if (declared)
            {
                _ctes.RemoveAt(_ctes.Count - 1);
            }
        }
    }

    /// <summary>The model's lineage from its query's shape; <paramref name="built"/> are its columns as built, when known.</summary>
    public ModelLineage Result(QualifiedName model, QueryShape shape, IReadOnlyList<string>? built)
    {
        var columns = new List<ColumnLineage>();
        var complete = true;
        var positional = built is not null && shape.OpenStars.Count == 0 && built.Count == shape.Columns.Count;
        for (var index = 0; index < shape.Columns.Count; index++)
        {
            var (name, sources) = shape.Columns[index];
            name ??= positional ? built![index] : null;
            if (name is null)
            {
                _unresolved.Add($"Column {index + 1} of {model} is an expression without an alias, whose name is DuckDB's to choose: give it one with AS.");
                complete = false;
                continue;
            }

            columns.Add(new ColumnLineage(name, Dedupe(sources)));
        }

        if (shape.OpenStars.Count > 0)
        {
            // The columns as built name what the * brought; each is traced through the one relation it can come from.
            complete = built is not null;
            foreach (var name in built?.Where(name => !columns.Any(column => string.Equals(column.Column, name, StringComparison.OrdinalIgnoreCase))) ?? [])
            {
                if (shape.Resolve(name) is { } sources)
                {
                    columns.Add(new ColumnLineage(name, Dedupe(sources)));
                }
                else
                {
                    _unresolved.Add($"Column {name} of {model} comes from a * over {string.Join(" or ", shape.OpenStars.Select(Describe))}, and which one is unknown.");
                    complete = false;
                }
            }

            if (built is not null)
            {
                columns = [.. columns.OrderBy(column => IndexOf(built, column.Column))];
            }
        }

        return new ModelLineage(model, columns, Dedupe(shape.Rows), [.. _unresolved.Distinct()]) { ColumnsComplete = complete };
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var index = 0; index < names.Count; index++)
        {
            if (string.Equals(names[index], name, StringComparison.OrdinalIgnoreCase))
            {
                return index;
            }
        }

        return int.MaxValue;
    }

    /// <summary>Registers the node's WITH clause, each CTE walked in order (a CTE reads the ones before it); true when there was one.</summary>
    private bool DeclareCtes(JsonElement node)
    {
        if (!node.TryGetProperty("cte_map", out var cteMap) || !cteMap.TryGetProperty("map", out var map) || map.GetArrayLength() == 0)
        {
            return false;
        }

        var ctes = new Dictionary<string, (QueryShape?, IReadOnlyList<string>)>(StringComparer.OrdinalIgnoreCase);
        _ctes.Add(ctes);
        foreach (var entry in map.EnumerateArray())
        {
            var name = entry.GetProperty("key").GetString() ?? "";
            var value = entry.GetProperty("value");
            IReadOnlyList<string> aliases = value.TryGetProperty("aliases", out var list) ? [.. list.EnumerateArray().Select(alias => alias.GetString() ?? "")] : [];
            // Declared before its body is walked: a recursive CTE reading itself finds a relation with no lineage.
            ctes[name] = (null, aliases);
            ctes[name] = (Query(value.GetProperty("query").GetProperty("node"), null), aliases);
        }

        return true;
    }

    private (QueryShape? Shape, IReadOnlyList<string> Aliases)? FindCte(string name)
    {
        for (var index = _ctes.Count - 1; index >= 0; index--)
        {
            if (_ctes[index].TryGetValue(name, out var cte))
            {
                return cte;
            }
        }

        return null;
    }

    private QueryShape SetOperation(JsonElement node, Scope? outer)
    {
        var left = Query(node.GetProperty("left"), outer);
        var right = Query(node.GetProperty("right"), outer);
        var kind = Text(node, "setop_type") ?? "UNION";
        var shape = new QueryShape();
        shape.OpenStars.AddRange(left.OpenStars);
        shape.Rows.AddRange(left.Rows);
        shape.Rows.AddRange(right.Rows);
        var filters = kind is "EXCEPT" or "INTERSECT";
        for (var index = 0; index < left.Columns.Count; index++)
        {
            var (name, sources) = left.Columns[index];
            var other = kind == "UNION_BY_NAME" && name is not null ? right.Resolve(name) : index < right.Columns.Count ? right.Columns[index].Sources : null;
            if (filters)
            {
                // EXCEPT and INTERSECT keep left's values; right's decide which rows remain.
                shape.Rows.AddRange(Apply(new ColumnTransformation(LineageSubtype.Filter), other ?? []));
                shape.Columns.Add((name, sources));
            }
            else
            {
                shape.Columns.Add((name, [.. sources, .. other ?? []]));
            }
        }

        var scope = new Scope(outer);
        foreach (var (name, sources) in shape.Columns.Where(column => column.Name is not null))
        {
            scope.Aliases.TryAdd(name!, sources);
        }

        Modifiers(node, scope, shape);
        return shape;
    }

    private QueryShape Select(JsonElement node, Scope? outer)
    {
        var scope = new Scope(outer);
        var shape = new QueryShape();
        if (node.TryGetProperty("from_table", out var from) && from.ValueKind == JsonValueKind.Object)
        {
            From(from, scope, shape);
        }

        var items = node.GetProperty("select_list").EnumerateArray().ToList();
        var forceAggregates = Text(node, "aggregate_handling") == "FORCE_AGGREGATES";
        var groupedItems = new List<List<ColumnSource>>();
        scope.InSelectList = true;
        foreach (var item in items)
        {
            if (Text(item, "class") == "STAR" && !IsColumnsExpression(item))
            {
                Star(item, scope, shape);
                continue;
            }

            var sources = Expression(item, ColumnTransformation.Identity, scope);
            var name = OutputName(item);
            shape.Columns.Add((name, sources));
            if (name is not null)
            {
                // A later item may read it (DuckDB's lateral column aliases), as WHERE, GROUP BY and ORDER BY may.
                scope.Aliases.TryAdd(name, sources);
            }

            if (forceAggregates && !ContainsAggregate(item))
            {
                // GROUP BY ALL groups by every select item that aggregates nothing.
                groupedItems.Add(sources);
            }
        }

        scope.InSelectList = false;
        foreach (var (name, sources) in shape.Columns.Where(column => column.Name is not null))
        {
            // The columns a * brought.
            scope.Aliases.TryAdd(name!, sources);
        }

        Rows(node, "where_clause", LineageSubtype.Filter, scope, shape);
        if (node.TryGetProperty("group_expressions", out var groups))
        {
            foreach (var group in groups.EnumerateArray())
            {
                shape.Rows.AddRange(Apply(new ColumnTransformation(LineageSubtype.GroupBy), Positional(group, shape) ?? Expression(group, ColumnTransformation.Identity, scope)));
            }
        }

        foreach (var sources in groupedItems)
        {
            shape.Rows.AddRange(Apply(new ColumnTransformation(LineageSubtype.GroupBy), sources));
        }

        Rows(node, "having", LineageSubtype.Filter, scope, shape);
        Rows(node, "qualify", LineageSubtype.Filter, scope, shape);
        Modifiers(node, scope, shape);
        return shape;
    }

    /// <summary>ORDER BY (SORT); LIMIT, OFFSET and DISTINCT take no column of note.</summary>
    private void Modifiers(JsonElement node, Scope scope, QueryShape shape)
    {
        if (!node.TryGetProperty("modifiers", out var modifiers))
        {
            return;
        }

        foreach (var modifier in modifiers.EnumerateArray().Where(modifier => Text(modifier, "type") == "ORDER_MODIFIER"))
        {
            foreach (var order in modifier.GetProperty("orders").EnumerateArray())
            {
                var expression = order.GetProperty("expression");
                shape.Rows.AddRange(Apply(new ColumnTransformation(LineageSubtype.Sort), Positional(expression, shape) ?? Expression(expression, ColumnTransformation.Identity, scope)));
            }
        }
    }

    private void Rows(JsonElement node, string clause, LineageSubtype subtype, Scope scope, QueryShape shape)
    {
        if (node.TryGetProperty(clause, out var expression) && expression.ValueKind == JsonValueKind.Object)
        {
            shape.Rows.AddRange(Expression(expression, new ColumnTransformation(subtype), scope));
        }
    }

    /// <summary>The select item a <c>GROUP BY 2</c> or <c>ORDER BY 1</c> means, or null when the expression is not a position.</summary>
    private static List<ColumnSource>? Positional(JsonElement expression, QueryShape shape) =>
        Text(expression, "class") == "CONSTANT" && expression.GetProperty("value").TryGetProperty("value", out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var position) && position >= 1 && position <= shape.Columns.Count
            ? shape.Columns[position - 1].Sources
            : null;

    private static string? OutputName(JsonElement item)
    {
        if (Text(item, "alias") is { Length: > 0 } alias)
        {
            return alias;
        }

        return Text(item, "class") == "COLUMN_REF" ? item.GetProperty("column_names").EnumerateArray().Last().GetString() : null;
    }

    private static List<ColumnSource> Apply(ColumnTransformation outer, IEnumerable<ColumnSource> sources) =>
        [.. sources.Select(source => source with { Transformation = outer.Then(source.Transformation) })];

    /// <summary>One entry per input column and role; a column masked in any of its paths is masked.</summary>
    private static List<ColumnSource> Dedupe(IEnumerable<ColumnSource> sources) =>
        [.. sources
            .GroupBy(source => (source.Dataset, Column: source.Column.ToLowerInvariant(), source.Transformation.Subtype))
            .Select(group => group.First() with { Transformation = new ColumnTransformation(group.Key.Subtype, group.Any(source => source.Transformation.Masking)) })];

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(Relation relation) => relation is TableRelation table ? table.Table.ToString() : relation.Binding;
}
