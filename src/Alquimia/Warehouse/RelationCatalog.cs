using DuckDB.NET.Native;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;

namespace Alquimia.Warehouse;

/// <summary>What a name is in the warehouse.</summary>
public enum RelationKind
{
    /// <summary>Nothing has that name.</summary>
    None,

    /// <summary>A table.</summary>
    Table,

    /// <summary>A view.</summary>
    View,
}

/// <summary>A column: its name and its DuckDB type as DuckDB spells it (<c>BIGINT</c>, <c>DECIMAL(18,2)</c>).</summary>
public sealed record ColumnInfo(string Name, string Type);

/// <summary>Looks up relations and columns in the warehouse's catalog, as the current transaction sees it.</summary>
internal static class RelationCatalog
{
    public static RelationKind KindOf(CheckedConnection connection, QualifiedName name, CancellationToken cancellationToken = default)
    {
        var kind = connection.Scalar<string>(
            """
            SELECT 'table' FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2
            UNION ALL
            SELECT 'view' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = $1 AND view_name = $2
            """,
            cancellationToken, name.Schema, name.Name);
        return kind switch
        {
            "table" => RelationKind.Table,
            "view" => RelationKind.View,
            _ => RelationKind.None,
        };
    }

    /// <summary>The columns of a table or view, in order; none when nothing has that name.</summary>
    public static List<ColumnInfo> Columns(CheckedConnection connection, QualifiedName name, CancellationToken cancellationToken = default)
    {
        // pragma_table_info looks up the one relation: 0.3 ms, where filtering duckdb_columns(), which lists every column
        // of every table, took 2-3 ms, and a run asks about 40 times. A name DuckDB does not find is a catalog error,
        // raised while binding: the transaction goes on.
        try
        {
            return connection.Query(
                $"SELECT name, type FROM pragma_table_info({SqlText.Literal(name.Sql)})",
                reader => new ColumnInfo(reader.GetString(0), reader.GetString(1)),
                cancellationToken);
        }
        catch (DuckDbEngineException error) when (error.ErrorType == DuckDBErrorType.Catalog)
        {
            return [];
        }
    }

    /// <summary>The columns a query returns, without running it.</summary>
    public static List<ColumnInfo> DescribeQuery(CheckedConnection connection, string selectSql, CancellationToken cancellationToken = default) =>
        connection.Query($"DESCRIBE {selectSql}", reader => new ColumnInfo(reader.GetString(0), reader.GetString(1)), cancellationToken);

    /// <summary>Drops whatever has this name (table or view); nothing when nothing does.</summary>
    public static void Drop(CheckedConnection connection, QualifiedName name, CancellationToken cancellationToken = default)
    {
        switch (KindOf(connection, name, cancellationToken))
        {
            case RelationKind.Table:
                connection.Execute($"DROP TABLE {name.Sql}", cancellationToken);
                break;
            case RelationKind.View:
                connection.Execute($"DROP VIEW {name.Sql}", cancellationToken);
                break;
        }
    }
}
