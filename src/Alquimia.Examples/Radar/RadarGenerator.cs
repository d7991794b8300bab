using System.Globalization;
using MySqlConnector;

namespace Alquimia.Examples.Radar;

/// <summary>What <see cref="RadarGenerator.Generate"/> wrote: the database, and each table with its rows.</summary>
public sealed record RadarGeneration(string Database, IReadOnlyList<(string Table, long Rows)> Tables)
{
    public long Rows => Tables.Sum(table => table.Rows);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"database {Database}: {Tables.Count} tables, {Rows:N0} rows (the largest: {string.Join(", ", Tables.OrderByDescending(table => table.Rows).Take(3).Select(table => $"{table.Table} {table.Rows:N0}"))})");
}

/// <summary>
/// Writes seed 003's Radar database into a MariaDB (or MySQL) server: the 82 tables of <see cref="RadarTables"/>,
/// replaced whole, filled by the server from its sequence engine. The same store count writes the same rows.
/// </summary>
public static class RadarGenerator
{
    /// <summary>Writes the database <paramref name="database"/> with <paramref name="stores"/> stores' worth of data.</summary>
    /// <param name="connectionString">A MySqlConnector connection string to the server; its database, if any, is not used.</param>
    public static RadarGeneration Generate(string connectionString, long stores = 1_000, string database = "radar")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stores, 1);
        var builder = new MySqlConnectionStringBuilder(connectionString) { Database = "", AllowUserVariables = true };
        using var connection = new MySqlConnection(builder.ConnectionString);
        connection.Open();
        Execute(connection, $"CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        connection.ChangeDatabase(database);
        var placeholders = new Dictionary<string, long>
        {
            ["{stores}"] = stores, ["{users}"] = 2 * stores, ["{products}"] = 5 * stores,
        };
        var written = new List<(string, long)>();
        foreach (var table in RadarTables.All)
        {
            var rows = table.Rows(stores);
            var select = placeholders.Aggregate(table.Select.Replace("{rows}", rows.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
                (sql, placeholder) => sql.Replace(placeholder.Key, placeholder.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            Execute(connection, $"DROP TABLE IF EXISTS `{table.Name}`");
            Execute(connection, $"CREATE TABLE `{table.Name}` ({table.Columns}) ENGINE=InnoDB DEFAULT CHARSET={table.Charset}");
            written.Add((table.Name, Execute(connection, $"INSERT INTO `{table.Name}` {select}")));
        }

        return new RadarGeneration(database, written);
    }

    private static long Execute(MySqlConnection connection, string sql)
    {
        using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        return command.ExecuteNonQuery();
    }
}
