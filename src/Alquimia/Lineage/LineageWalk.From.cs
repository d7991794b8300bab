using System.Text.Json;
using Alquimia.Projects;

namespace Alquimia.Lineage;

/// <summary>The FROM clause and <c>*</c>: relations bound in the scope, and the columns a star brings.</summary>
internal sealed partial class LineageWalk
{
    private void From(JsonElement table, Scope scope, QueryShape shape)
    {
        var alias = Text(table, "alias") is { Length: > 0 } given ? given : null;
        IReadOnlyList<string> renamed = table.TryGetProperty("column_name_alias", out var names) && names.ValueKind == JsonValueKind.Array
            ? [.. names.EnumerateArray().Select(name => name.GetString() ?? "")]
            : [];
        switch (Text(table, "type"))
        {
            case "EMPTY":
                return;
            case "BASE_TABLE":
                scope.Relations.Add(BaseTable(table, alias, renamed, shape));
                return;
            case "JOIN":
                From(table.GetProperty("left"), scope, shape);
                From(table.GetProperty("right"), scope, shape);
                if (table.TryGetProperty("condition", out var condition) && condition.ValueKind == JsonValueKind.Object)
                {
                    shape.Rows.AddRange(Expression(condition, new ColumnTransformation(LineageSubtype.Join), scope));
                }

                foreach (var column in table.TryGetProperty("using_columns", out var usingColumns) ? usingColumns.EnumerateArray() : default)
                {
                    var name = column.GetString() ?? "";
                    foreach (var relation in scope.Relations)
                    {
                        shape.Rows.AddRange(Apply(new ColumnTransformation(LineageSubtype.Join), relation.Resolve(name) ?? []));
                    }
                }

                return;
            case "SUBQUERY":
                var subquery = Query(table.GetProperty("subquery").GetProperty("node"), scope);
                shape.Rows.AddRange(subquery.Rows);
                scope.Relations.Add(new DerivedRelation(alias ?? "unnamed_subquery", subquery, renamed));
                return;
            case "TABLE_FUNCTION":
                var function = table.GetProperty("function");
                var functionName = Text(function, "function_name") ?? "a table function";
                _unresolved.Add($"{functionName}(…) in FROM reads no table of the warehouse: the columns taken from it have no lineage.");
                scope.Relations.Add(new OpaqueRelation(alias ?? functionName));
                return;
            case "EXPRESSION_LIST":
                // VALUES (…): constants.
                scope.Relations.Add(new OpaqueRelation(alias ?? "valueslist"));
                return;
            default:
                _unresolved.Add($"A FROM item of kind {Text(table, "type")} is not analyzed: the columns taken from it have no lineage.");
                scope.Relations.Add(new OpaqueRelation(alias ?? "unknown"));
                return;
        }
    }

    private Relation BaseTable(JsonElement table, string? alias, IReadOnlyList<string> renamed, QueryShape shape)
    {
        var name = Text(table, "table_name") ?? "";
        var schema = Text(table, "schema_name") ?? "";
        if (schema.Length == 0 && FindCte(name) is var (cte, aliases))
        {
            if (cte is null)
            {
                return new OpaqueRelation(alias ?? name);
            }

            shape.Rows.AddRange(cte.Rows);
            return new DerivedRelation(alias ?? name, cte, renamed.Count > 0 ? renamed : aliases);
        }

        if (schema.Length == 0 && name.IndexOfAny(['.', '/', '\\']) >= 0)
        {
            _unresolved.Add($"'{name}' in FROM is a file, not a table of the warehouse: the columns taken from it have no lineage.");
            return new OpaqueRelation(alias ?? name);
        }

        // An unqualified name is DuckDB's default schema; models name their tables layer.name.
        var qualified = new QualifiedName(schema.Length == 0 ? "main" : schema, name);
        return new TableRelation(alias ?? name, qualified, columnsOf(qualified), renamed);
    }

    /// <summary>
    /// <c>*</c>, <c>t.*</c>, with EXCLUDE and REPLACE: one output column per column of the relations, when known. A
    /// relation whose columns are unknown stays open: the query has more columns than the analysis can name.
    /// </summary>
    private void Star(JsonElement star, Scope scope, QueryShape shape)
    {
        var relationName = Text(star, "relation_name");
        List<Relation> relations = relationName is { Length: > 0 } ? [.. scope.Relations.Where(relation => string.Equals(relation.Binding, relationName, StringComparison.OrdinalIgnoreCase))] : scope.Relations;
        var excluded = new HashSet<string>(
            star.TryGetProperty("exclude_list", out var exclude) ? exclude.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString() ?? "") : [],
            StringComparer.OrdinalIgnoreCase);
        var replaced = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in star.TryGetProperty("replace_list", out var replace) ? replace.EnumerateArray() : default)
        {
            replaced[entry.GetProperty("key").GetString() ?? ""] = entry.GetProperty("value");
        }

        if (star.TryGetProperty("rename_list", out var renames) && renames.GetArrayLength() > 0)
        {
            _unresolved.Add("* RENAME (…) is not analyzed: the renamed columns have no lineage.");
        }

        foreach (var relation in relations)
        {
            if (relation.Columns is not { } columns)
            {
                _unresolved.Add($"* over {Describe(relation)}: its columns are unknown (neither the warehouse nor the project lists them), so the columns it brings are not named.");
                shape.OpenStars.Add(relation);
                continue;
            }

            foreach (var column in columns.Where(column => !excluded.Contains(column)))
            {
                if (shape.Columns.Any(existing => string.Equals(existing.Name, column, StringComparison.OrdinalIgnoreCase)))
                {
                    // JOIN … USING: the column both sides share comes once.
                    continue;
                }

                var sources = replaced.TryGetValue(column, out var expression)
                    ? Expression(expression, ColumnTransformation.Identity, scope)
                    : relation.Resolve(column) ?? [];
                shape.Columns.Add((column, sources));
            }
        }
    }

    /// <summary><c>COLUMNS(…)</c> parses as a star with an expression or <c>columns: true</c>; it selects by pattern, which is not analyzed.</summary>
    private bool IsColumnsExpression(JsonElement star)
    {
        var isColumns = star.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.True
            || star.TryGetProperty("expr", out var expression) && expression.ValueKind == JsonValueKind.Object;
        if (isColumns)
        {
            _unresolved.Add("COLUMNS(…) is not analyzed: the columns it selects have no lineage.");
        }

        return isColumns;
    }
}
