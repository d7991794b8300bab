using DuckDB.NET.Data;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// The per-test fixture: an open connection to an in-memory DuckDB database private to one test, and short ways
/// to run SQL on it. A test class creates one in a field and disposes it in <c>Dispose</c>.
/// </summary>
internal sealed class InMemoryDuckDb : IDisposable
{
    public InMemoryDuckDb()
    {
        Connection = new CheckedConnection("Data Source=:memory:");
        Connection.Open();
    }

    public CheckedConnection Connection { get; }

    /// <summary>A command whose positional parameters (<c>?</c> or <c>$n</c>) are <paramref name="parameters"/>, in order.</summary>
    public CheckedCommand Command(string sql, params object?[] parameters)
    {
        var command = Connection.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new DuckDBParameter { Value = parameter });
        }

        return command;
    }

    public int Execute(string sql, params object?[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of the query's only row, read with <c>GetFieldValue&lt;T&gt;</c>.</summary>
    public T Scalar<T>(string sql, params object?[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"The query returned no row: {sql}");
        var value = reader.GetFieldValue<T>(0);
        Assert.False(reader.Read(), $"The query returned more than one row: {sql}");
        return value;
    }

    /// <summary>Every row of the query, each value as <c>GetValue</c> returns it (DBNull for NULL).</summary>
    public List<object[]> Rows(string sql, params object?[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public void Dispose() => Connection.Dispose();
}
