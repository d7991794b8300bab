using DuckDB.NET.Data;
using System.Globalization;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Projects.Loading;

/// <summary>Asks DuckDB whether a text is an interval it reads (<c>3 days</c>, <c>12 hours</c>), passing it as a parameter.</summary>
internal sealed class IntervalChecker
{
    private readonly CheckedConnection _connection;

    public IntervalChecker(CheckedConnection connection)
    {
        _connection = connection;
    }

    /// <summary>True when DuckDB casts <paramref name="text"/> to INTERVAL, or, with <paramref name="allowNumber"/>, when it is a number.</summary>
    public bool IsValid(string text, bool allowNumber)
    {
        if (allowNumber && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            return true;
        }

        using var command = _connection.CreateCommand("SELECT TRY_CAST(? AS INTERVAL) IS NOT NULL");
        command.Parameters.Add(new DuckDBParameter(text));
        return command.ExecuteScalar() is true;
    }
}
