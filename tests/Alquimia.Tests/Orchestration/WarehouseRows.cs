using System.Collections;
using System.Globalization;
using System.Text.Json;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Orchestration;

/// <summary>
/// Reads a warehouse the way a test asserts on it: each row as its values joined by '|', a DECIMAL at its column's
/// scale (DuckDB.NET reads 10.0 as the decimal 10), a list as JSON, NULL as NULL.
/// </summary>
internal static class WarehouseRows
{
    public static List<string> Of(string warehousePath, string sql)
    {
        using var connection = new CheckedConnection($"Data Source={warehousePath}");
        connection.Open();
        return Of(connection, sql);
    }

    public static List<string> Of(CheckedConnection connection, string sql)
    {
        var types = connection.Query($"SELECT column_type FROM (DESCRIBE {sql})", reader => reader.GetString(0));
        return connection.Query(sql, reader => string.Join("|", Enumerable.Range(0, reader.FieldCount)
            .Select(i => reader.IsDBNull(i) ? "NULL" : Format(reader.GetValue(i), types[i]))));
    }

    private static string Format(object value, string type) => value switch
    {
        decimal number when type.StartsWith("DECIMAL(", StringComparison.Ordinal) =>
            number.ToString("F" + type[(type.IndexOf(',', StringComparison.Ordinal) + 1)..^1], CultureInfo.InvariantCulture),
        IList list => JsonSerializer.Serialize(list),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
