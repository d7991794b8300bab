using Alquimia.Engine.DuckDb.Native;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// The statements of one command text, split by DuckDB's own parser and prepared on one connection. Kept by the
/// command while its text and connection stay the same, so re-executing only re-binds parameters.
/// </summary>
internal sealed unsafe class DuckDbStatementBatch : IDisposable
{
    private readonly DuckDbPreparedStatementHandle[] _statements;

    private DuckDbStatementBatch(DuckDbConnectionHandle connection, string sql, DuckDbPreparedStatementHandle[] statements)
    {
        Connection = connection;
        Sql = sql;
        _statements = statements;
    }

    public DuckDbConnectionHandle Connection { get; }

    public string Sql { get; }

    public int Count => _statements.Length;

    public static DuckDbStatementBatch Prepare(DuckDbConnectionHandle connection, string sql)
    {
        var count = PreparedStatements.ExtractStatements(connection, sql, out var extracted);
        using (extracted)
        {
            if (count == 0)
            {
                var error = PreparedStatements.ExtractStatementsError(extracted);
                throw new DuckDbException(error ?? "The command text holds no SQL statement.", DuckDbErrorType.Parser, sql);
            }

            var statements = new DuckDbPreparedStatementHandle[count];
            try
            {
                for (var i = 0UL; i < count; i++)
                {
                    var state = PreparedStatements.PrepareExtractedStatement(connection, extracted, i, out statements[i]);
                    if (state != State.Success)
                    {
                        throw new DuckDbException(
                            PreparedStatements.PrepareError(statements[i]) ?? "DuckDB could not prepare the statement.",
                            ErrorTypeOf(PreparedStatements.PrepareError(statements[i])), sql);
                    }
                }
            }
            catch
            {
                foreach (var statement in statements)
                {
                    statement?.Dispose();
                }

                throw;
            }

            return new DuckDbStatementBatch(connection, sql, statements);
        }
    }

    /// <summary>Binds every parameter each statement uses, by name or by position.</summary>
    public void Bind(DuckDbParameterCollection parameters)
    {
        foreach (var statement in _statements)
        {
            var count = PreparedStatements.ParameterCount(statement);
            if (count == 0)
            {
                continue;
            }

            PreparedStatements.ClearBindings(statement);
            for (var index = 1UL; index <= count; index++)
            {
                var name = PreparedStatements.ParameterName(statement, index) ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var parameter = Find(parameters, name);
                ParameterBinder.BindParameter(statement, index, name, parameter.Value);
            }
        }
    }

    /// <summary>Runs statement <paramref name="index"/>; the result is materialized unless <paramref name="streaming"/>.</summary>
    public DuckDbResultHandle Execute(int index, bool streaming)
    {
        var result = new DuckDbResultHandle();
        var state = streaming
            ? PreparedStatements.ExecutePreparedStreaming(_statements[index], result.Pointer)
            : PreparedStatements.ExecutePrepared(_statements[index], result.Pointer);
        if (state == State.Success)
        {
            return result;
        }

        using (result)
        {
            throw ResultError(result, Sql);
        }
    }

    public void Dispose()
    {
        foreach (var statement in _statements)
        {
            statement.Dispose();
        }
    }

    /// <summary>The error a failed result carries, as an exception.</summary>
    internal static DuckDbException ResultError(DuckDbResultHandle result, string? sql) =>
        new(Query.ResultError(result.Pointer) ?? "DuckDB reported an error without a message.", Query.ResultErrorType(result.Pointer), sql);

    private static DuckDbParameter Find(DuckDbParameterCollection parameters, string name)
    {
        var byName = parameters.IndexOf(name);
        if (byName >= 0)
        {
            return parameters[byName];
        }

        if (int.TryParse(name, out var position) && position >= 1 && position <= parameters.Count)
        {
            return parameters[position - 1];
        }

        throw new InvalidOperationException(
            int.TryParse(name, out _)
                ? $"The SQL uses parameter {name}, but the command has only {parameters.Count} parameter(s). Add one per '?' or '$n', in order."
                : $"The SQL uses parameter ${name}, but the command has no parameter named '{name}'. Add it with command.Parameters.Add(\"{name}\", value).");
    }

    /// <summary>Prepare errors carry no type in the C API; DuckDB prefixes the message with it ("Parser Error: …").</summary>
    private static DuckDbErrorType ErrorTypeOf(string? message)
    {
        var prefix = message?.Split(" Error:", 2)[0].Replace(" ", "", StringComparison.Ordinal);
        return Enum.TryParse<DuckDbErrorType>(prefix, ignoreCase: true, out var type) ? type : DuckDbErrorType.Invalid;
    }
}
