using System.Data.Common;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// An error DuckDB reported: its own message, the kind of error, and the SQL that failed. Derives from
/// <see cref="DbException"/> because the binding is an ADO.NET provider and callers catch that.
/// </summary>
public sealed class DuckDbException : DbException
{
    /// <summary>How much of the SQL the message quotes; <see cref="Sql"/> always has all of it.</summary>
    private const int QuotedSqlLength = 400;

    public DuckDbException(string message, DuckDbErrorType errorType = DuckDbErrorType.Invalid, string? sql = null,
        Exception? innerException = null)
        : base(WithSql(message, sql), innerException)
    {
        DuckDbMessage = message;
        ErrorType = errorType;
        Sql = sql;
    }

    /// <summary>DuckDB's message alone, without the quoted SQL.</summary>
    public string DuckDbMessage { get; }

    /// <summary>The kind of error, as DuckDB classifies it (Catalog, Parser, Constraint, Interrupt, …).</summary>
    public DuckDbErrorType ErrorType { get; }

    /// <summary>The statement that failed, when the error came from one.</summary>
    public string? Sql { get; }

    private static string WithSql(string message, string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return message;
        }

        var quoted = sql.Length <= QuotedSqlLength ? sql : string.Concat(sql.AsSpan(0, QuotedSqlLength), " …");
        return $"{message}{Environment.NewLine}SQL: {quoted.Trim()}";
    }
}
