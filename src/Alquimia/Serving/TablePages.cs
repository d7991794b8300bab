using System.Globalization;
using System.Text;
using System.Text.Json;
using Alquimia.Projects;
using Alquimia.Projects.Loading;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Serving;

/// <summary>A column the read API serves: its type in the warehouse and its description in the project.</summary>
public sealed record ServedColumn(string Name, string Type, string? Description);

/// <summary>A relation the read API serves: a model built in the warehouse, with its descriptions.</summary>
public sealed record ServedTable(string Name, string Layer, string? Description, IReadOnlyList<ServedColumn> Columns);

/// <summary>A filter of a table read: <c>?organization_id=eq:ORG1</c>.</summary>
public sealed record TableFilter(string Column, string Operator, string? Value);

/// <summary>An order of a table read: <c>?order=-data_referencia,organization_id</c>.</summary>
public sealed record TableOrder(string Column, bool Descending);

/// <summary>
/// One page of a table or view as the read API asks for it: which columns, which rows (filters), in which order, how
/// many, and after which row (the <see cref="TablePage.Next"/> of the page before).
/// </summary>
public sealed record TablePageRequest(QualifiedName Relation)
{
    /// <summary>The default and the largest page.</summary>
    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 1000;

    /// <summary>The columns to return; empty for all.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    public IReadOnlyList<TableFilter> Filters { get; init; } = [];

    public IReadOnlyList<TableOrder> Order { get; init; } = [];

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>The opaque cursor of the page before; null for the first page.</summary>
    public string? After { get; init; }

    /// <summary>True to count the rows the filters select (every page, not just this one): <see cref="TablePage.Total"/>.</summary>
    public bool Count { get; init; }
}

/// <summary>A page of rows: each row as one JSON object (DuckDB's own <c>to_json</c>), and the cursor of the next page.</summary>
/// <param name="Next">The cursor of the next page; null on the last one.</param>
/// <param name="Version">
/// The run that last committed the relation, read in the same transaction as the rows (its record commits with its
/// data): it changes exactly when a run commits the relation. <c>none</c> for a relation no run has written.
/// </param>
public sealed record TablePage(IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<string> JsonRows, IReadOnlyList<IReadOnlyList<string?>> TextRows, string? Next, string Version)
{
    /// <summary>The rows the filters select, when the request asked for <see cref="TablePageRequest.Count"/>.</summary>
    public long? Total { get; init; }
}

/// <summary>
/// Reads pages of a table or view for the read API. Every name of the request is checked against the relation's own
/// columns, and every value is bound as a parameter and cast to its column's type by DuckDB: nothing the caller sends is
/// spliced into the SQL. Pages follow each other by keyset (the order's values of the last row, then the row's id), so a
/// page costs the same at row 10 and at row 10 million.
/// </summary>
public static class TablePages
{
    private static readonly string[] Operators = ["eq", "ne", "lt", "le", "gt", "ge", "like", "in", "null", "notnull"];

    /// <summary>The query string's parameters that are not filters.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(["columns", "order", "page_size", "after", "format", "count"], StringComparer.Ordinal);

    /// <summary>The project's models that exist in the warehouse and <paramref name="scope"/> may read, with their columns' types and descriptions, in name order.</summary>
    public static IReadOnlyList<ServedTable> List(EmbeddedWarehouse warehouse, Project project, ReadScope scope) => warehouse.Read(connection =>
        (IReadOnlyList<ServedTable>)[.. project.Models
            .Where(model => scope.MayRead(model.Name, out _) && RelationCatalog.KindOf(connection, model.Name) != RelationKind.None)
            .Select(model => new ServedTable(model.Name.ToString(), model.Layer, model.Config.Description, [.. RelationCatalog.Columns(connection, model.Name)
                .Select(column => new ServedColumn(column.Name, column.Type, model.Config.Columns.FirstOrDefault(described => described.Name == column.Name)?.Description))]))]);

    /// <summary>The request a query string makes (<c>columns</c>, <c>order</c>, <c>page_size</c>, <c>after</c>, and every other key a filter).</summary>
    /// <exception cref="AlquimiaException">A parameter is malformed: the message says which and how to write it.</exception>
    public static TablePageRequest Parse(QualifiedName relation, IEnumerable<KeyValuePair<string, string>> query)
    {
        var request = new TablePageRequest(relation);
        var filters = new List<TableFilter>();
        foreach (var (key, value) in query)
        {
            switch (key)
            {
                case "columns":
                    request = request with { Columns = Split(value) };
                    break;
                case "order":
                    request = request with { Order = [.. Split(value).Select(item => item.StartsWith('-') ? new TableOrder(item[1..], true) : new TableOrder(item, false))] };
                    break;
                case "page_size":
                    request = request with
                    {
                        PageSize = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= TablePageRequest.MaxPageSize
                            ? size
                            : throw new AlquimiaException($"page_size is '{value}': give a whole number from 1 to {TablePageRequest.MaxPageSize}."),
                    };
                    break;
                case "after":
                    request = request with { After = value };
                    break;
                case "count":
                    request = request with
                    {
                        Count = value switch
                        {
                            "true" => true,
                            "false" => false,
                            _ => throw new AlquimiaException($"count is '{Shorten(value)}': write count=true to count the rows the filters select."),
                        },
                    };
                    break;
                case "format":
                    break;
                default:
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    var op = colon < 0 ? value : value[..colon];
                    if (!Operators.Contains(op, StringComparer.Ordinal))
                    {
                        throw new AlquimiaException(
                            $"The filter on '{key}' is '{Shorten(value)}': write {key}=<operator>:<value>, the operator one of {string.Join(", ", Operators)} (null and notnull take no value).");
                    }

                    filters.Add(new TableFilter(key, op, colon < 0 ? null : value[(colon + 1)..]));
                    break;
            }
        }

        return request with { Filters = filters };
    }

    /// <summary>Reads the page in a read-only transaction of its own, narrowed to the rows <paramref name="scope"/> may see.</summary>
    /// <exception cref="OutOfScopeException">The scope may not read the relation (checked before anything is read).</exception>
    /// <exception cref="AlquimiaException">The relation, a column or a value is not what the request says, or the cursor is not one of this relation's.</exception>
    public static TablePage Read(EmbeddedWarehouse warehouse, TablePageRequest request, ReadScope scope)
    {
        var rowFilter = scope.Check(request.Relation);
        return warehouse.Read(connection => ReadPage(connection, request, scope, rowFilter));
    }

    private static TablePage ReadPage(CheckedConnection connection, TablePageRequest request, ReadScope scope, string? rowFilter)
    {
        var kind = RelationCatalog.KindOf(connection, request.Relation);
        if (kind == RelationKind.None)
        {
            throw new AlquimiaException($"There is no table or view {request.Relation}. GET /api/tables lists them.");
        }

        var columns = RelationCatalog.Columns(connection, request.Relation);
        var byName = columns.ToDictionary(column => column.Name, StringComparer.Ordinal);
        ColumnInfo Column(string name, string what) => byName.TryGetValue(name, out var column) ? column
            : throw new AlquimiaException($"{request.Relation} has no column '{Shorten(name)}' ({what}).{Suggestions.DidYouMean(name, byName.Keys)} Its columns: {string.Join(", ", byName.Keys)}.");

        var selected = request.Columns.Count == 0 ? columns : [.. request.Columns.Select(name => Column(name, "in columns"))];
        // The order the caller asked for, then a tie-breaker that makes it total: the row's id in a table; every
        // column in a view (which has no row id), where rows equal in every column may then be cut at a page's edge.
        var keys = request.Order.Select(order => (Sql: SqlText.Identifier(Column(order.Column, "in order").Name), Type: byName[order.Column].Type, order.Descending)).ToList();
        keys.AddRange(kind == RelationKind.Table
            ? [("rowid", "BIGINT", false)]
            : columns.Select(column => (SqlText.Identifier(column.Name), column.Type, false)));

        var parameters = new List<object?>();
        string Parameter(object? value, string type)
        {
            parameters.Add(value);
            return $"CAST(${parameters.Count} AS {type})";
        }

        // The scope's row filter comes first and is checked at load to be one condition (ServeReader): AND-ed with
        // anything the caller sends, it narrows every read, count and page.
        var filtered = request.Filters.Select(filter => Condition(Column(filter.Column, "in a filter"), filter, Parameter))
            .Prepend(rowFilter is null ? null : $"({rowFilter})").OfType<string>().ToList();
        var filterParameters = parameters.Count;
        var conditions = filtered.ToList();
        if (request.After is { } after)
        {
            conditions.Add(After(Cursor.Decode(after, request.Relation, keys.Count), keys, Parameter));
        }

        var sql = $"""
            SELECT CAST(to_json(struct_pack({string.Join(", ", selected.Select(column => $"{SqlText.Identifier(column.Name)} := {SqlText.Identifier(column.Name)}"))})) AS VARCHAR),
                   {string.Join(", ", selected.Select(column => $"CAST({SqlText.Identifier(column.Name)} AS VARCHAR)"))},
                   {string.Join(", ", keys.Select(key => $"CAST({key.Sql} AS VARCHAR)"))}
            FROM {request.Relation.Sql}
            {(conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions))}
            ORDER BY {string.Join(", ", keys.Select(key => $"{key.Sql} {(key.Descending ? "DESC" : "ASC")} NULLS LAST"))}
            LIMIT {request.PageSize + 1}
            """;
        List<(string Json, string?[] Text, string?[] Keys)> rows;
        long? total = null;
        try
        {
            rows = connection.Query(sql, reader => (
                reader.GetString(0),
                Enumerable.Range(1, selected.Count).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i)).ToArray(),
                Enumerable.Range(1 + selected.Count, keys.Count).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i)).ToArray()),
                default, [.. parameters]);
            if (request.Count)
            {
                // The same conditions but the cursor's, whose parameters come last: the count of every page.
                var count = $"SELECT count(*) FROM {request.Relation.Sql} {(filtered.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filtered))}";
                total = connection.Scalar<long>(count, default, [.. parameters.Take(filterParameters)]);
            }
        }
        catch (DuckDbEngineException error) when (error.ErrorType is DuckDB.NET.Native.DuckDBErrorType.Conversion or DuckDB.NET.Native.DuckDBErrorType.InvalidInput)
        {
            // A value that is not of its column's type: DuckDB's cast says which and why.
            throw new AlquimiaException($"A filter's value does not fit its column: {error.DuckDbMessage.Split('\n')[0]}", error);
        }
        catch (DuckDbEngineException error) when (rowFilter is not null && error.ErrorType is DuckDB.NET.Native.DuckDBErrorType.Binder)
        {
            throw new AlquimiaException(
                $"The row filter of API key '{scope.Name}' on {request.Relation} ({rowFilter}) does not fit the table: {error.DuckDbMessage.Split('\n')[0]} The operator fixes it in serve.api_keys of alquimia.yml.", error);
        }

        var page = rows.Take(request.PageSize).ToList();
        var next = rows.Count > request.PageSize ? Cursor.Encode(request.Relation, page[^1].Keys) : null;
        var version = connection.Scalar<string>(
            $"SELECT run_id FROM {StateTables.ModelRuns} WHERE model = $1 AND status IN ('succeeded', 'warning') ORDER BY finished_at DESC LIMIT 1",
            default, request.Relation.ToString()) ?? "none";
        return new TablePage(selected, [.. page.Select(row => row.Json)], [.. page.Select(row => (IReadOnlyList<string?>)row.Text)], next, version) { Total = total };
    }

    private static string Condition(ColumnInfo column, TableFilter filter, Func<object?, string, string> parameter)
    {
        var name = SqlText.Identifier(column.Name);
        string Value() => filter.Value ?? throw new AlquimiaException($"The filter {filter.Column}={filter.Operator} needs a value: {filter.Column}={filter.Operator}:<value>.");
        return filter.Operator switch
        {
            "eq" => $"{name} = {parameter(Value(), column.Type)}",
            "ne" => $"{name} <> {parameter(Value(), column.Type)}",
            "lt" => $"{name} < {parameter(Value(), column.Type)}",
            "le" => $"{name} <= {parameter(Value(), column.Type)}",
            "gt" => $"{name} > {parameter(Value(), column.Type)}",
            "ge" => $"{name} >= {parameter(Value(), column.Type)}",
            "like" => $"CAST({name} AS VARCHAR) LIKE {parameter(Value(), "VARCHAR")}",
            "in" => Split(Value()) is { Count: > 0 } items
                ? $"{name} IN ({string.Join(", ", items.Select(item => parameter(item, column.Type)))})"
                : throw new AlquimiaException($"The filter {filter.Column}=in: needs at least one value: {filter.Column}=in:a,b."),
            "null" => $"{name} IS NULL",
            _ => $"{name} IS NOT NULL",
        };
    }

    /// <summary>The rows after the cursor's row in the order of <paramref name="keys"/> (NULLs last, either way).</summary>
    private static string After(string?[] last, List<(string Sql, string Type, bool Descending)> keys, Func<object?, string, string> parameter)
    {
        var alternatives = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (last[i] is not { } value)
            {
                continue; // nothing comes after NULL on this key but ties
            }

            var equal = Enumerable.Range(0, i).Select(j => $"{keys[j].Sql} IS NOT DISTINCT FROM {parameter(last[j], keys[j].Type)}");
            var beyond = $"({keys[i].Sql} {(keys[i].Descending ? "<" : ">")} {parameter(value, keys[i].Type)} OR {keys[i].Sql} IS NULL)";
            alternatives.Add("(" + string.Join(" AND ", equal.Append(beyond)) + ")");
        }

        return alternatives.Count == 0 ? "false" : "(" + string.Join(" OR ", alternatives) + ")";
    }

    private static List<string> Split(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <summary>The opaque cursor: the relation and the last row's keys, as base64url JSON.</summary>
    private static class Cursor
    {
        public static string Encode(QualifiedName relation, IReadOnlyList<string?> keys) =>
            Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new CursorState(relation.ToString(), [.. keys])))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static string?[] Decode(string cursor, QualifiedName relation, int keyCount)
        {
            try
            {
                var padded = cursor.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - (padded.Length % 4)) % 4);
                var state = JsonSerializer.Deserialize<CursorState>(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
                if (state is not null && state.Relation == relation.ToString() && state.Keys.Length == keyCount)
                {
                    return state.Keys;
                }
            }
            catch (Exception error) when (error is FormatException or JsonException)
            {
            }

            throw new AlquimiaException("'after' is not a cursor of this table and order: pass the 'next' of the page before, with the same order.");
        }

        private sealed record CursorState(string Relation, string?[] Keys);
    }
}
