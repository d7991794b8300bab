using System.Data.Common;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// Short forms for running SQL with positional parameters ($1, $2, …) and a cancellation token. The token interrupts
/// the statement inside DuckDB for as long as it runs, the rows <see cref="Query"/> reads included (DuckDB.NET
/// interrupts a statement while it executes, not a streaming read under way), and an interrupt it caused surfaces as
/// <see cref="OperationCanceledException"/>.
/// </summary>
public static class ConnectionExtensions
{
    /// <summary>Runs <paramref name="sql"/>; returns the rows it inserted, updated or deleted.</summary>
    public static int Execute(this CheckedConnection connection, string sql, CancellationToken cancellationToken = default, params object?[] parameters)
    {
        using var command = Prepare(connection, sql, parameters);
        return command.ExecuteNonQueryAsync(cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Runs <paramref name="sql"/> and returns the first column of its first row converted to <typeparamref name="T"/>,
    /// or default when there is no row or it is NULL. A TIMESTAMPTZ read as <see cref="DateTimeOffset"/> is the UTC instant.
    /// </summary>
    public static T? Scalar<T>(this CheckedConnection connection, string sql, CancellationToken cancellationToken = default, params object?[] parameters)
    {
        using var command = Prepare(connection, sql, parameters);
        var value = command.ExecuteScalarAsync(cancellationToken).GetAwaiter().GetResult();
        return value is null or DBNull ? default : Convert<T>(value);
    }

    /// <summary>Runs <paramref name="sql"/> and maps every row with <paramref name="map"/>.</summary>
    public static List<T> Query<T>(this CheckedConnection connection, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken = default, params object?[] parameters)
    {
        using var command = Prepare(connection, sql, parameters);
        return command.Run(() =>
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }

            return rows;
        }, cancellationToken);
    }

    /// <summary>A TIMESTAMPTZ value read as the .NET type the caller asked for: DuckDB.NET gives it as a UTC <see cref="DateTime"/>.</summary>
    public static T Convert<T>(object value)
    {
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (target == typeof(DateTimeOffset) && value is DateTime dateTime)
        {
            return (T)(object)new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc));
        }

        return (T)System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static CheckedCommand Prepare(CheckedConnection connection, string sql, object?[] parameters)
    {
        SqlTrace.Record(sql, parameters);
        var command = connection.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new DuckDBParameter { Value = value });
        }

        return command;
    }
}
