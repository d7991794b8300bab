using Alquimia.Engine.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>
/// Short forms for running SQL with positional parameters ($1, $2, …) and a cancellation token, which interrupts
/// the query inside DuckDB.
/// </summary>
internal static class ConnectionExtensions
{
    /// <summary>Runs <paramref name="sql"/>; returns the rows it inserted, updated or deleted (-1 when it cannot).</summary>
    public static int Execute(this DuckDbConnection connection, string sql, CancellationToken cancellationToken = default, params object?[] parameters)
    {
        using var command = Prepare(connection, sql, parameters);
        return command.ExecuteNonQueryAsync(cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="sql"/> and returns the first column of its first row converted to <typeparamref name="T"/>, or default when there is no row or it is NULL.</summary>
    public static T? Scalar<T>(this DuckDbConnection connection, string sql, CancellationToken cancellationToken = default, params object?[] parameters)
    {
        using var command = Prepare(connection, sql, parameters);
        var value = command.ExecuteScalarAsync(cancellationToken).GetAwaiter().GetResult();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="sql"/> and maps every row with <paramref name="map"/>.</summary>
    public static List<T> Query<T>(this DuckDbConnection connection, string sql, Func<DuckDbDataReader, T> map, CancellationToken cancellationToken = default, params object?[] parameters)
    {
        using var command = Prepare(connection, sql, parameters);
        using var reader = command.ExecuteReaderAsync(cancellationToken).GetAwaiter().GetResult();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static DuckDbCommand Prepare(DuckDbConnection connection, string sql, object?[] parameters)
    {
        SqlTrace.Record(sql, parameters);
        var command = connection.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new DuckDbParameter { Value = value });
        }

        return command;
    }
}
