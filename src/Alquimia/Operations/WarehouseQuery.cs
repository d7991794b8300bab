using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Operations;

/// <summary>
/// What <c>alquimia query</c> and <c>alquimia show</c> print: a query's columns, and its rows either with each value as
/// DuckDB itself writes it (a DECIMAL keeps its scale, a list reads <c>[1, 2]</c>; null for NULL) or as DuckDB's JSON of
/// each row, typed. The query runs in a read-only transaction: nothing it does can change the warehouse.
/// </summary>
/// <param name="Columns">The columns' names and DuckDB types.</param>
/// <param name="Rows">The rows: their values as DuckDB's text, or one JSON object each.</param>
public sealed record WarehouseQuery(IReadOnlyList<(string Name, string Type)> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    /// <summary>Runs one SELECT; <paramref name="limit"/> caps the rows (null for all), <paramref name="asJson"/> makes each row one JSON object.</summary>
    /// <exception cref="DuckDbEngineException">The SQL is not a query DuckDB can run, or names what does not exist.</exception>
    public static WarehouseQuery Run(EmbeddedWarehouse warehouse, string sql, int? limit = null, bool asJson = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var query = sql.Trim().TrimEnd(';').Trim();
        var capped = limit is { } rows ? $"SELECT * FROM ({query}) LIMIT {rows}" : query;
        return warehouse.Read(connection =>
        {
            RefuseAllButOneSelect(connection, query);
            List<(string, string)> columns;
            try
            {
                columns = connection.Query($"SELECT column_name, column_type FROM (DESCRIBE {capped})", reader => (reader.GetString(0), reader.GetString(1)));
            }
            catch (DuckDbEngineException error)
            {
                // DuckDB's excerpt of the statement ("LINE 1: …") would show the DESCRIBE wrapped around the query, not the query.
                var message = error.DuckDbMessage.Split("\n\nLINE ", 2)[0].Trim();
                throw new AlquimiaException($"The query failed: {message}", error);
            }

            var select = asJson
                ? $"SELECT CAST(to_json(q) AS VARCHAR) FROM ({capped}) q"
                : $"SELECT {string.Join(", ", columns.Select(column => $"CAST({SqlText.Identifier(column.Item1)} AS VARCHAR)"))} FROM ({capped})";
            var values = connection.Query(
                select, reader => (IReadOnlyList<string?>)[.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
            return new WarehouseQuery(columns, values);
        });
    }

    /// <summary>DuckDB's own parser says whether the text is one SELECT; its error is the user's, without the wrapper this class adds.</summary>
    private static void RefuseAllButOneSelect(CheckedConnection connection, string query)
    {
        var parse = connection.Scalar<string>("SELECT CAST(json_serialize_sql(CAST($1 AS VARCHAR)) AS VARCHAR)", default, query) ?? "";
        using var json = System.Text.Json.JsonDocument.Parse(parse);
        if (json.RootElement.GetProperty("error").GetBoolean())
        {
            var message = json.RootElement.TryGetProperty("error_message", out var text) ? text.GetString() : null;
            throw new AlquimiaException(message is not null && message.Contains("Only SELECT", StringComparison.Ordinal)
                ? "The query must be one SELECT (or WITH … SELECT): `alquimia query` reads the warehouse and never changes it."
                : $"The query cannot be parsed: {message}");
        }

        if (json.RootElement.GetProperty("statements").GetArrayLength() != 1)
        {
            throw new AlquimiaException("The query must be one SELECT: run each statement with its own `alquimia query`.");
        }
    }

    /// <summary>The first <paramref name="limit"/> rows of a table or view, e.g. <c>silver.tb_chamado</c>.</summary>
    public static WarehouseQuery Show(EmbeddedWarehouse warehouse, string relation, int limit, bool asJson = false)
    {
        var name = QualifiedName.TryParse(relation)
            ?? throw new AlquimiaException($"'{relation}' is not a relation name: write it as layer.table, e.g. silver.tb_chamado.");
        return Run(warehouse, $"SELECT * FROM {name.Sql}", limit, asJson);
    }
}
