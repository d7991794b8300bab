using System.Globalization;
using Alquimia.Engine.DuckDb;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Orchestration;

/// <summary>Reads a warehouse the way a test asserts on it: each row as its values joined by '|'.</summary>
internal static class WarehouseRows
{
    public static List<string> Of(string warehousePath, string sql)
    {
        using var connection = new DuckDbConnection($"Data Source={warehousePath}");
        connection.Open();
        return Of(connection, sql);
    }

    public static List<string> Of(DuckDbConnection connection, string sql) =>
        connection.Query(sql, reader => string.Join("|", Enumerable.Range(0, reader.FieldCount)
            .Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
}
