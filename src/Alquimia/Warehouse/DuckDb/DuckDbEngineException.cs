using System.Data.Common;
using DuckDB.NET.Native;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// An error DuckDB reported, with its kind as DuckDB itself named it and the SQL that failed. Every call through the
/// checked layer raises this, never DuckDB.NET's own exception, whose kind is <c>Invalid</c> for every error raised
/// while a statement is prepared (a missing table, a parser error, a corrupt file).
/// </summary>
public class DuckDbEngineException : DbException
{
    /// <summary>How much of the SQL the message quotes; <see cref="Sql"/> always has all of it.</summary>
    private const int QuotedSqlLength = 400;

    public DuckDbEngineException(string message, DuckDBErrorType errorType, string? sql = null, Exception? innerException = null)
        : base(WithSql(message, sql), innerException)
    {
        DuckDbMessage = message;
        ErrorType = errorType;
        Sql = sql;
    }

    /// <summary>DuckDB's message alone, without the quoted SQL.</summary>
    public string DuckDbMessage { get; }

    /// <summary>The kind of error as DuckDB classifies it (Catalog, Parser, Constraint, Interrupt, IO …).</summary>
    public DuckDBErrorType ErrorType { get; }

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
