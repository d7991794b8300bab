using System.Text.Json;

namespace Alquimia.Lineage;

/// <summary>Expressions: which table columns an expression reads, and in what role.</summary>
internal sealed partial class LineageWalk
{
    private static readonly ColumnTransformation Transformed = new(LineageSubtype.Transformation);

    /// <summary>
    /// The table columns <paramref name="expression"/> reads, each as <paramref name="role"/> makes it: a bare column
    /// keeps its sources' own transformation, a function makes them TRANSFORMATION (AGGREGATION for an aggregate), a
    /// CASE's conditions CONDITIONAL, a window's partitions and orders WINDOW, an aggregate's FILTER a FILTER.
    /// </summary>
    private List<ColumnSource> Expression(JsonElement expression, ColumnTransformation role, Scope scope)
    {
        switch (Text(expression, "class"))
        {
            case "COLUMN_REF":
                return Apply(role, ColumnReference(expression, scope));
            case "CONSTANT" or "PARAMETER" or "DEFAULT" or "STAR" or null:
                return [];
            case "FUNCTION":
                return Function(expression, role, scope, Text(expression, "function_name") ?? "");
            case "WINDOW":
                return Window(expression, role, scope);
            case "CASE":
                return Case(expression, role, scope);
            case "SUBQUERY":
                return Subquery(expression, role, scope);
            case "LAMBDA":
                return Lambda(expression, role, scope);
            default:
                // Operators, comparisons, conjunctions, CAST, BETWEEN, COLLATE…: their operands, transformed.
                return Children(expression, role.Then(Transformed), scope);
        }
    }

    private List<ColumnSource> ColumnReference(JsonElement expression, Scope scope)
    {
        var names = expression.GetProperty("column_names").EnumerateArray().Select(name => name.GetString() ?? "").ToList();
        string? ambiguous = null;
        List<ColumnSource>? sources;
        if (names.Count == 1)
        {
            sources = scope.Resolve(names[0], out ambiguous);
        }
        else if (scope.Find(names[^2]) is { } relation)
        {
            sources = relation.Resolve(names[^1]);
        }
        else
        {
            // Not a relation's name: a struct column's field (s.field).
            sources = scope.Resolve(names[0], out ambiguous) is { } whole ? Apply(Transformed, whole) : null;
        }

        if (sources is null)
        {
            var column = string.Join(".", names);
            _unresolved.Add(ambiguous is null
                ? $"Column {column} is not found in the relations it can read: it has no lineage."
                : $"Column {column} could come from {ambiguous}, whose columns are unknown: it has no lineage.");
        }

        return sources ?? [];
    }

    private List<ColumnSource> Function(JsonElement function, ColumnTransformation role, Scope scope, string name)
    {
        var own = role.Then(new ColumnTransformation(isAggregate(name) ? LineageSubtype.Aggregation : LineageSubtype.Transformation, isMasking(name)));
        var sources = new List<ColumnSource>();
        foreach (var child in function.TryGetProperty("children", out var children) ? children.EnumerateArray() : default)
        {
            sources.AddRange(Expression(child, own, scope));
        }

        if (function.TryGetProperty("filter", out var filter) && filter.ValueKind == JsonValueKind.Object)
        {
            sources.AddRange(Expression(filter, role.Then(new ColumnTransformation(LineageSubtype.Filter)), scope));
        }

        if (function.TryGetProperty("order_bys", out var orderBys) && orderBys.TryGetProperty("orders", out var orders))
        {
            foreach (var order in orders.EnumerateArray())
            {
                sources.AddRange(Expression(order.GetProperty("expression"), role.Then(new ColumnTransformation(LineageSubtype.Sort)), scope));
            }
        }

        return sources;
    }

    private List<ColumnSource> Window(JsonElement window, ColumnTransformation role, Scope scope)
    {
        var name = Text(window, "function_name") ?? "";
        var own = role.Then(new ColumnTransformation(isAggregate(name) ? LineageSubtype.Aggregation : LineageSubtype.Transformation, isMasking(name)));
        var windowed = role.Then(new ColumnTransformation(LineageSubtype.Window));
        var sources = new List<ColumnSource>();
        foreach (var property in window.EnumerateObject())
        {
            switch (property.Name)
            {
                case "partitions":
                    sources.AddRange(property.Value.EnumerateArray().SelectMany(partition => Expression(partition, windowed, scope)));
                    break;
                case "orders" or "arg_orders":
                    sources.AddRange(property.Value.EnumerateArray().SelectMany(order => Expression(order.GetProperty("expression"), windowed, scope)));
                    break;
                case "filter_expr" when property.Value.ValueKind == JsonValueKind.Object:
                    sources.AddRange(Expression(property.Value, role.Then(new ColumnTransformation(LineageSubtype.Filter)), scope));
                    break;
                case "children" or "start_expr" or "end_expr" or "offset_expr" or "default_expr":
                    sources.AddRange(Each(property.Value).SelectMany(child => Expression(child, own, scope)));
                    break;
            }
        }

        return sources;
    }

    private List<ColumnSource> Case(JsonElement expression, ColumnTransformation role, Scope scope)
    {
        var value = role.Then(Transformed);
        var sources = new List<ColumnSource>();
        foreach (var check in expression.GetProperty("case_checks").EnumerateArray())
        {
            sources.AddRange(Expression(check.GetProperty("when_expr"), role.Then(new ColumnTransformation(LineageSubtype.Conditional)), scope));
            sources.AddRange(Expression(check.GetProperty("then_expr"), value, scope));
        }

        if (expression.TryGetProperty("else_expr", out var otherwise))
        {
            sources.AddRange(Expression(otherwise, value, scope));
        }

        return sources;
    }

    /// <summary>
    /// A scalar subquery's value is its column's; <c>x IN (SELECT …)</c> and <c>EXISTS (…)</c> are conditions over
    /// them. The subquery's own filters and joins shape the value too (INDIRECT), and it sees the enclosing names.
    /// </summary>
    private List<ColumnSource> Subquery(JsonElement expression, ColumnTransformation role, Scope scope)
    {
        var shape = Query(expression.GetProperty("subquery").GetProperty("node"), scope);
        var scalar = Text(expression, "subquery_type") == "SCALAR";
        var value = scalar ? role : role.Then(Transformed);
        var sources = shape.Columns.SelectMany(column => Apply(value, column.Sources)).ToList();
        sources.AddRange(Apply(role, shape.Rows));
        if (expression.TryGetProperty("child", out var child) && child.ValueKind == JsonValueKind.Object)
        {
            sources.AddRange(Expression(child, value, scope));
        }

        return sources;
    }

    private List<ColumnSource> Lambda(JsonElement lambda, ColumnTransformation role, Scope scope)
    {
        var parameters = new List<string>();
        Collect(lambda.GetProperty("lhs"), parameters);
        var added = parameters.Where(scope.LambdaParameters.Add).ToList();
        try
        {
            return lambda.TryGetProperty("expr", out var body) ? Expression(body, role.Then(Transformed), scope) : [];
        }
        finally
        {
            scope.LambdaParameters.ExceptWith(added);
        }

        static void Collect(JsonElement node, List<string> names)
        {
            if (Text(node, "class") == "COLUMN_REF")
            {
                names.AddRange(node.GetProperty("column_names").EnumerateArray().Select(name => name.GetString() ?? ""));
                return;
            }

            foreach (var child in node.TryGetProperty("children", out var children) ? children.EnumerateArray() : default)
            {
                Collect(child, names);
            }
        }
    }

    /// <summary>Every expression among the properties of <paramref name="expression"/>, walked with <paramref name="role"/>.</summary>
    private List<ColumnSource> Children(JsonElement expression, ColumnTransformation role, Scope scope) =>
        [.. expression.EnumerateObject().SelectMany(property => Each(property.Value)).SelectMany(child => Expression(child, role, scope))];

    /// <summary>The expressions in a property: itself when it is one, or an array's items that are.</summary>
    private static IEnumerable<JsonElement> Each(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object when value.TryGetProperty("class", out _) => [value],
        JsonValueKind.Array => value.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("class", out _)),
        _ => [],
    };

    /// <summary>True when the expression calls an aggregate outside any subquery (GROUP BY ALL leaves it out of the keys).</summary>
    private bool ContainsAggregate(JsonElement expression)
    {
        var kind = Text(expression, "class");
        if (kind == "SUBQUERY" || kind == "WINDOW")
        {
            return false;
        }

        if (kind == "FUNCTION" && isAggregate(Text(expression, "function_name") ?? ""))
        {
            return true;
        }

        return expression.EnumerateObject().SelectMany(property => Each(property.Value)).Any(ContainsAggregate);
    }
}
