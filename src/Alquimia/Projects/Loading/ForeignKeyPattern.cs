using System.Text.Json;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Recognizes a foreign-key expectation in the syntax tree DuckDB's parser gives for <c>SELECT (condition)</c>:
/// <c>column IN (SELECT parent_column FROM schema.table)</c>, or <c>column IS NULL OR</c> that, and nothing more.
/// Anything else (a WHERE in the subquery, a NOT, a qualified column, another condition) is no match, and the rule is
/// checked as written.
/// </summary>
internal static class ForeignKeyPattern
{
    /// <summary>The rule's foreign key when <paramref name="statement"/> (one element of json_serialize_sql's "statements") is of that shape; else null.</summary>
    public static ForeignKeyRule? Match(JsonElement statement)
    {
        if (!statement.TryGetProperty("node", out var wrapper) || SingleSelected(wrapper) is not { } condition)
        {
            return null;
        }

        if (Text(condition, "type") == "CONJUNCTION_OR" && condition.TryGetProperty("children", out var either) && either.GetArrayLength() == 2)
        {
            // Either way round: column IS NULL OR column IN (…), or column IN (…) OR column IS NULL.
            var (isNull, inSubquery) = Text(either[0], "type") == "OPERATOR_IS_NULL" ? (either[0], either[1]) : (either[1], either[0]);
            return NullTested(isNull) is { } nullable && InSubquery(inSubquery) is { } optional && string.Equals(nullable, optional.Column, StringComparison.OrdinalIgnoreCase)
                ? optional with { NullAllowed = true }
                : null;
        }

        return InSubquery(condition);
    }

    /// <summary>The column of <c>column IS NULL</c>, or null.</summary>
    private static string? NullTested(JsonElement condition) =>
        Text(condition, "type") == "OPERATOR_IS_NULL" && condition.TryGetProperty("children", out var tested) && tested.GetArrayLength() == 1
            ? ColumnName(tested[0])
            : null;

    /// <summary>The foreign key of <c>column IN (SELECT parent_column FROM schema.table)</c>, or null.</summary>
    private static ForeignKeyRule? InSubquery(JsonElement condition)
    {
        if (Text(condition, "class") != "SUBQUERY" || Text(condition, "subquery_type") != "ANY" || Text(condition, "comparison_type") != "COMPARE_EQUAL"
            || !condition.TryGetProperty("child", out var child) || ColumnName(child) is not { } column
            || !condition.TryGetProperty("subquery", out var subquery) || !subquery.TryGetProperty("node", out var select)
            || !IsPlainSelect(select) || SingleSelected(select) is not { } selected || ColumnName(selected) is not { } parentColumn
            || !select.TryGetProperty("from_table", out var from) || Text(from, "type") != "BASE_TABLE"
            || Text(from, "catalog_name") is { Length: > 0 } || !IsNull(from, "sample") || !IsNull(from, "at_clause")
            || Text(from, "schema_name") is not { Length: > 0 } schema || Text(from, "table_name") is not { Length: > 0 } table)
        {
            return null;
        }

        return new ForeignKeyRule(column, new QualifiedName(schema, table), parentColumn);
    }

    /// <summary>The one expression a SELECT node selects, or null.</summary>
    private static JsonElement? SingleSelected(JsonElement node) =>
        Text(node, "type") == "SELECT_NODE" && node.TryGetProperty("select_list", out var list) && list.GetArrayLength() == 1 ? list[0] : null;

    /// <summary>A SELECT with nothing that filters, groups, orders or limits it, and no WITH.</summary>
    private static bool IsPlainSelect(JsonElement node) =>
        IsEmpty(node, "modifiers") && IsEmpty(node, "group_expressions") && IsEmpty(node, "group_sets")
        && (!node.TryGetProperty("cte_map", out var ctes) || IsEmpty(ctes, "map"))
        && IsNull(node, "where_clause") && IsNull(node, "having") && IsNull(node, "qualify") && IsNull(node, "sample");

    /// <summary>The column an unqualified column reference names, or null.</summary>
    private static string? ColumnName(JsonElement expression) =>
        Text(expression, "class") == "COLUMN_REF" && expression.TryGetProperty("column_names", out var names) && names.GetArrayLength() == 1
            ? names[0].GetString()
            : null;

    private static string? Text(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsNull(JsonElement node, string property) => !node.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null;

    private static bool IsEmpty(JsonElement node, string property) =>
        !node.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0;
}
