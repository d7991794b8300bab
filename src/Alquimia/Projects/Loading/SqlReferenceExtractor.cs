using DuckDB.NET.Data;
using System.Text;
using System.Text.Json;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Parses a model's SQL with DuckDB's own parser (<c>json_serialize_sql</c>, which only accepts SELECT statements) and
/// walks the syntax tree for every table the query reads: FROM, JOINs, subqueries anywhere, CTE bodies and set
/// operations. Names bound to a CTE in scope are not references, nor are table functions (<c>read_parquet(…)</c>) or
/// files read by path (<c>FROM 'x.parquet'</c>). It also lists the functions the query calls, by name, and tells a
/// foreign-key expectation by its shape (<see cref="ForeignKeyPattern"/>).
/// </summary>
internal sealed class SqlReferenceExtractor
{
    // json_serialize_sql writes this for "no location" (an unsigned -1).
    private const ulong NoLocation = ulong.MaxValue;

    private readonly CheckedConnection _connection;

    public SqlReferenceExtractor(CheckedConnection connection)
    {
        _connection = connection;
    }

    /// <summary>What DuckDB's parser says about <paramref name="sql"/>.</summary>
    public SqlParse Parse(string sql)
    {
        using var document = SyntaxTree(sql);
        var root = document.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            var message = root.TryGetProperty("error_message", out var text) ? text.GetString() ?? "" : "unknown error";
            int? position = root.TryGetProperty("position", out var at) && int.TryParse(at.GetString(), out var offset) ? offset : null;
            return new SqlParse(message, position, 0, [], []);
        }

        var statements = root.GetProperty("statements");
        var found = new Found([], []);
        foreach (var statement in statements.EnumerateArray())
        {
            Walk(statement, [], found);
        }

        return new SqlParse(null, null, statements.GetArrayLength(), found.References, found.Functions)
        {
            ForeignKey = statements.GetArrayLength() == 1 ? ForeignKeyPattern.Match(statements[0]) : null,
        };
    }

    /// <summary>
    /// DuckDB's syntax tree of <paramref name="sql"/> as <c>json_serialize_sql</c> writes it: <c>"error": true</c> and a
    /// message when it does not parse, else its <c>statements</c>. Column lineage (Alquimia.Lineage) walks the same tree.
    /// </summary>
    public JsonDocument SyntaxTree(string sql)
    {
        using var command = _connection.CreateCommand("SELECT json_serialize_sql(CAST(? AS VARCHAR))");
        command.Parameters.Add(new DuckDBParameter(sql));
        return JsonDocument.Parse((string)command.ExecuteScalar()!);
    }

    /// <summary>The 0-based line of <paramref name="byteOffset"/> (DuckDB's locations count UTF-8 bytes) in <paramref name="sql"/>.</summary>
    public static int LineOfByteOffset(string sql, int byteOffset)
    {
        var bytes = Encoding.UTF8.GetBytes(sql);
        var end = Math.Clamp(byteOffset, 0, bytes.Length);
        return bytes.AsSpan(0, end).Count((byte)'\n');
    }

    private static void Walk(JsonElement element, HashSet<string> ctes, Found found)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, ctes, found);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // A query node's WITH clause binds names for the node itself and for every CTE body in it (recursive or
        // chained CTEs read each other), so the scope grows before any child is walked.
        var scope = ctes;
        if (element.TryGetProperty("cte_map", out var cteMap) && cteMap.TryGetProperty("map", out var map) && map.GetArrayLength() > 0)
        {
            scope = new HashSet<string>(ctes, StringComparer.OrdinalIgnoreCase);
            foreach (var entry in map.EnumerateArray())
            {
                scope.Add(entry.GetProperty("key").GetString() ?? "");
            }
        }

        if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
            type.GetString() == "BASE_TABLE" && element.TryGetProperty("table_name", out var tableName))
        {
            AddReference(element, tableName.GetString() ?? "", scope, found.References);
        }

        if (element.TryGetProperty("class", out var kind) && kind.ValueKind == JsonValueKind.String &&
            kind.GetString() == "FUNCTION" && element.TryGetProperty("function_name", out var functionName))
        {
            found.Functions.Add(new FunctionCall(functionName.GetString() ?? "", Location(element)));
        }

        foreach (var property in element.EnumerateObject())
        {
            Walk(property.Value, scope, found);
        }
    }

    private static void AddReference(JsonElement table, string name, HashSet<string> ctes, List<TableReference> references)
    {
        var schema = table.TryGetProperty("schema_name", out var schemaName) ? schemaName.GetString() ?? "" : "";
        var isCte = schema.Length == 0 && ctes.Contains(name);
        var isFile = schema.Length == 0 && name.IndexOfAny(['.', '/', '\\']) >= 0;
        if (isCte || isFile)
        {
            return;
        }

        references.Add(new TableReference(schema, name, Location(table)));
    }

    /// <summary>Where a node is in the SQL, in UTF-8 bytes; 0 when DuckDB does not say.</summary>
    private static int Location(JsonElement node)
    {
        var location = node.TryGetProperty("query_location", out var at) && at.TryGetUInt64(out var offset) ? offset : NoLocation;
        return location == NoLocation ? 0 : (int)location;
    }

    /// <summary>What the walk gathers.</summary>
    private sealed record Found(List<TableReference> References, List<FunctionCall> Functions);
}
