using System.Net.Sockets;
using Alquimia.Projects;
using Npgsql;

namespace Alquimia.Ingestion.Postgres;

/// <summary>Connecting to a PostgreSQL source and reading its catalog, with errors that name the source.</summary>
internal static class PostgresSource
{
    /// <summary>An open connection to the source; a failure is one line naming the source and where it points.</summary>
    public static NpgsqlConnection Open(SourceDefinition source, string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception error) when (error is NpgsqlException or SocketException or TimeoutException or ArgumentException)
        {
            connection.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw Failed(source, connectionString, error);
        }
    }

    /// <summary>A source error as one line: the source, the server, and PostgreSQL's own words.</summary>
    public static AlquimiaException Failed(SourceDefinition source, string connectionString, Exception error) =>
        PostgresConnectionString.Failed($"Source '{source.Name}'", connectionString, error);


    /// <summary>True when the schema holds a relation of that name (a table with no columns has none in <see cref="Columns"/>).</summary>
    public static bool Exists(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string table)
    {
        using var command = new NpgsqlCommand(
            "SELECT count(*) > 0 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            connection,
            transaction);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(table);
        return (bool)command.ExecuteScalar()!;
    }

    /// <summary>
    /// The table's columns in order, mapped to DuckDB; empty when the table does not exist. A domain is read as the type
    /// it is based on (through domains over domains), with its type modifier; so is an array's element.
    /// </summary>
    public static List<PostgresColumn> Columns(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string table)
    {
        using var command = new NpgsqlCommand(
            """
            WITH RECURSIVE domains(oid, base, typmod) AS (
                SELECT oid, typbasetype, typtypmod FROM pg_type WHERE typtype = 'd'
                UNION ALL
                SELECT d.oid, t.typbasetype, CASE WHEN d.typmod = -1 THEN t.typtypmod ELSE d.typmod END
                FROM domains d JOIN pg_type t ON t.oid = d.base AND t.typtype = 'd'),
            based AS (SELECT d.oid, d.base, d.typmod FROM domains d JOIN pg_type t ON t.oid = d.base AND t.typtype <> 'd')
            SELECT a.attname, format_type(a.atttypid, a.atttypmod),
                   t.typname, coalesce(tb.typmod, a.atttypmod), t.typtype = 'e',
                   e.typname, coalesce(eb.typmod, tb.typmod, a.atttypmod), e.typtype = 'e'
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN based tb ON tb.oid = a.atttypid
            JOIN pg_type t ON t.oid = coalesce(tb.base, a.atttypid)
            LEFT JOIN based eb ON eb.oid = t.typelem AND t.typcategory = 'A'
            LEFT JOIN pg_type e ON e.oid = coalesce(eb.base, t.typelem) AND t.typcategory = 'A'
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(table);
        using var reader = command.ExecuteReader();
        var columns = new List<PostgresColumn>();
        while (reader.Read())
        {
            var element = reader.IsDBNull(5) ? null : new PostgresCatalogType(reader.GetString(5), reader.GetInt32(6), reader.GetBoolean(7));
            var type = new PostgresCatalogType(reader.GetString(2), reader.GetInt32(3), reader.GetBoolean(4), element);
            columns.Add(PostgresColumn.Map(reader.GetString(0), reader.GetString(1), type));
        }

        return columns;
    }

    /// <summary>The columns of the table's primary key in PostgreSQL, in the key's order; empty when it has none.</summary>
    public static List<string> PrimaryKey(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string table)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT a.attname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE n.nspname = $1 AND c.relname = $2 AND i.indisprimary
            ORDER BY k.position
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(table);
        using var reader = command.ExecuteReader();
        var key = new List<string>();
        while (reader.Read())
        {
            key.Add(reader.GetString(0));
        }

        return key;
    }

    /// <summary>
    /// The tables of the source's schema, by name: ordinary and partitioned tables, not their partitions (a partitioned
    /// table is read whole through its parent), and not views, which a database lists by the hundred for its own use.
    /// </summary>
    public static List<string> Tables(SourceDefinition source, CancellationToken cancellationToken)
    {
        var connectionString = PostgresConnectionString.Resolve(source.Name, PostgresOptions.Of(source).Connection);
        using var connection = Open(source, connectionString, cancellationToken);
        try
        {
            using var command = new NpgsqlCommand(
                """
                SELECT c.relname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                ORDER BY c.relname
                """,
                connection);
            command.Parameters.AddWithValue(PostgresOptions.Of(source).Schema);
            using var reader = command.ExecuteReader();
            var tables = new List<string>();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }

            return tables;
        }
        catch (NpgsqlException error)
        {
            throw Failed(source, connectionString, error);
        }
    }
}
