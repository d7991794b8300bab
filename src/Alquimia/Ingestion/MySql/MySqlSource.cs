using System.Net.Sockets;
using Alquimia.Projects;
using MySqlConnector;

namespace Alquimia.Ingestion.MySql;

/// <summary>Connecting to a MySQL source and reading its catalog, with errors that name the source.</summary>
internal static class MySqlSource
{
    /// <summary>
    /// An open connection whose session reads TIMESTAMP values in UTC; a failure is one line naming the source and where
    /// it points.
    /// </summary>
    public static MySqlConnection Open(SourceDefinition source, string connectionString, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            connection.Open();
            // MySQL sends a TIMESTAMP in the session's time zone: UTC makes it the instant itself, with no DST gap or overlap.
            Execute(connection, "SET SESSION time_zone = '+00:00'");
            return connection;
        }
        catch (Exception error) when (error is MySqlException or SocketException or TimeoutException or ArgumentException or IOException)
        {
            connection.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw Failed(source, connectionString, error);
        }
    }

    /// <summary>A source error as one line: the source, the server, and MySQL's own words.</summary>
    public static AlquimiaException Failed(SourceDefinition source, string connectionString, Exception error) =>
        MySqlConnectionString.Failed($"Source '{source.Name}'", connectionString, error);

    public static void Execute(MySqlConnection connection, string sql)
    {
        using var command = new MySqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The table's columns in order, mapped to DuckDB; empty when the table does not exist.</summary>
    public static List<MySqlColumn> Columns(MySqlConnection connection, string database, string table)
    {
        var json = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // MariaDB's JSON is a LONGTEXT with a CHECK (json_valid(`column`)) constraint named after the column.
        if (Has(connection, "CHECK_CONSTRAINTS"))
        {
            using var checks = Command(
                connection,
                "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = @database AND TABLE_NAME = @table",
                database,
                table);
            using var reader = checks.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetString(1).Equals($"json_valid({MySqlText.Identifier(reader.GetString(0))})", StringComparison.OrdinalIgnoreCase))
                {
                    json.Add(reader.GetString(0));
                }
            }
        }

        using var command = Command(
            connection,
            """
            SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @database AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION
            """,
            database,
            table);
        using var columns = command.ExecuteReader();
        var mapped = new List<MySqlColumn>();
        while (columns.Read())
        {
            var name = columns.GetString(0);
            mapped.Add(MySqlColumn.Map(
                name,
                columns.GetString(1),
                columns.GetString(2),
                columns.IsDBNull(3) ? null : Convert.ToInt64(columns.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                columns.IsDBNull(4) ? null : Convert.ToInt64(columns.GetValue(4), System.Globalization.CultureInfo.InvariantCulture),
                json.Contains(name)));
        }

        return mapped;
    }

    /// <summary>The columns of the table's primary key in MySQL, in the key's order; empty when it has none.</summary>
    public static List<string> PrimaryKey(MySqlConnection connection, string database, string table)
    {
        using var command = Command(
            connection,
            """
            SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = @database AND TABLE_NAME = @table AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION
            """,
            database,
            table);
        using var reader = command.ExecuteReader();
        var key = new List<string>();
        while (reader.Read())
        {
            key.Add(reader.GetString(0));
        }

        return key;
    }

    /// <summary>The base tables of the source's database, by name; not its views.</summary>
    public static List<string> Tables(SourceDefinition source, CancellationToken cancellationToken)
    {
        var connectionString = MySqlConnectionString.Resolve(source.Name, MySqlOptions.Of(source));
        using var connection = Open(source, connectionString, cancellationToken);
        try
        {
            using var command = Command(
                connection,
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @database AND TABLE_TYPE = 'BASE TABLE'",
                connection.Database,
                "");
            using var reader = command.ExecuteReader();
            var tables = new List<string>();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }

            // In code: the server's order follows the catalog's collation.
            return [.. tables.Order(StringComparer.Ordinal)];
        }
        catch (MySqlException error)
        {
            throw Failed(source, connectionString, error);
        }
    }

    private static bool Has(MySqlConnection connection, string informationSchemaTable)
    {
        using var command = Command(
            connection, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = @table", "", informationSchemaTable);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static MySqlCommand Command(MySqlConnection connection, string sql, string database, string table)
    {
        var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@database", database);
        command.Parameters.AddWithValue("@table", table);
        return command;
    }
}
