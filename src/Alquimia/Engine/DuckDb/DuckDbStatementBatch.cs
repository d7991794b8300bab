using Alquimia.Engine.DuckDb.Native;
using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// The statements of one command text, split by DuckDB's own parser and prepared on one connection. Kept by the
/// command while its text and connection stay the same, so re-executing only re-binds parameters.
/// </summary>
/// <remarks>
/// The first statement is prepared at once, so that its errors surface from <see cref="DuckDbCommand.Prepare"/>;
/// each later one just before it first runs, because it may use what an earlier one creates
/// (<c>CREATE SCHEMA bronze; CREATE TABLE bronze.t …</c>) and DuckDB binds names when it prepares.
/// </remarks>
internal sealed unsafe class DuckDbStatementBatch : IDisposable
{
    private readonly DuckDbConnection _owner;
    private readonly DuckDbExtractedStatementsHandle _extracted;
    private readonly DuckDbPreparedStatementHandle?[] _statements;
    private DuckDbParameterCollection? _parameters;

    /// <summary>The command, and each reader still reading it: a command disposed under an open reader must not break it.</summary>
    private int _holders = 1;

    private DuckDbStatementBatch(DuckDbConnection owner, string sql, DuckDbExtractedStatementsHandle extracted, int count)
    {
        _owner = owner;
        Connection = owner.Handle;
        Sql = sql;
        _extracted = extracted;
        _statements = new DuckDbPreparedStatementHandle?[count];
    }

    public DuckDbConnectionHandle Connection { get; }

    public string Sql { get; }

    public int Count => _statements.Length;

    public static DuckDbStatementBatch Prepare(DuckDbConnection connection, string sql)
    {
        var count = PreparedStatements.ExtractStatements(connection.Handle, sql, out var extracted);
        if (count == 0)
        {
            using (extracted)
            {
                var error = PreparedStatements.ExtractStatementsError(extracted);
                throw new DuckDbException(error ?? "The command text holds no SQL statement.", DuckDbErrorType.Parser, sql);
            }
        }

        var batch = new DuckDbStatementBatch(connection, sql, extracted, (int)count);
        try
        {
            batch.Statement(0);
        }
        catch
        {
            batch.Dispose();
            throw;
        }

        connection.AddDependent(batch);
        return batch;
    }

    /// <summary>Binds every parameter the statements use, by name or by position; later statements bind when they are prepared.</summary>
    public void Bind(DuckDbParameterCollection parameters)
    {
        _parameters = parameters;
        foreach (var statement in _statements)
        {
            if (statement is not null)
            {
                Bind(statement, parameters);
            }
        }
    }

    /// <summary>
    /// Runs statement <paramref name="index"/>; the result is materialized unless <paramref name="streaming"/>.
    /// <paramref name="throwIfCancelled"/> is called once the query has started and before it runs, so that a
    /// cancellation that came too early to interrupt it still stops it.
    /// </summary>
    public DuckDbResultHandle Execute(int index, bool streaming, Action throwIfCancelled)
    {
        var statement = Statement(index);
        var started = streaming
            ? PreparedStatements.PendingPreparedStreaming(statement, out var pending)
            : PreparedStatements.PendingPrepared(statement, out pending);
        using (pending)
        {
            if (started != State.Success)
            {
                var error = PreparedStatements.PendingError(pending) ?? "DuckDB could not start the statement.";
                throw new DuckDbException(InStatement(index, error), ErrorTypeOf(error), Sql);
            }

            throwIfCancelled();
            var result = new DuckDbResultHandle();
            if (PreparedStatements.ExecutePending(pending, result.Pointer) == State.Success)
            {
                return result;
            }

            using (result)
            {
                throw ResultError(result, index);
            }
        }
    }

    /// <summary>Another holder (an open reader) keeps the statements alive until it calls <see cref="Release"/>.</summary>
    public void Hold() => Interlocked.Increment(ref _holders);

    /// <summary>One holder is done; the last one destroys the statements.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            Dispose();
        }
    }

    /// <summary>Destroys the statements now, whoever holds them (the connection closing).</summary>
    public void Dispose()
    {
        _owner.RemoveDependent(this);
        foreach (var statement in _statements)
        {
            statement?.Dispose();
        }

        _extracted.Dispose();
    }

    /// <summary>The error a failed result carries, as an exception.</summary>
    /// <summary>The error a failed result of statement <paramref name="index"/> carries, as an exception.</summary>
    internal DuckDbException ResultError(DuckDbResultHandle result, int index) =>
        new(InStatement(index, Query.ResultError(result.Pointer) ?? "DuckDB reported an error without a message."),
            Query.ResultErrorType(result.Pointer), Sql);

    /// <summary>DuckDB's message, saying which statement failed when the command has several: the SQL quoted is all of them.</summary>
    private string InStatement(int index, string message) =>
        _statements.Length == 1 ? message : $"{message} (in statement {index + 1} of {_statements.Length})";

    /// <summary>Statement <paramref name="index"/>, prepared (and bound, once parameters were given) on first use.</summary>
    private DuckDbPreparedStatementHandle Statement(int index)
    {
        if (_statements[index] is { } prepared)
        {
            return prepared;
        }

        var state = PreparedStatements.PrepareExtractedStatement(Connection, _extracted, (ulong)index, out var statement);
        if (state != State.Success)
        {
            using (statement)
            {
                var error = PreparedStatements.PrepareError(statement);
                throw new DuckDbException(InStatement(index, error ?? "DuckDB could not prepare the statement."), ErrorTypeOf(error), Sql);
            }
        }

        if (_parameters is not null)
        {
            try
            {
                Bind(statement, _parameters);
            }
            catch
            {
                statement.Dispose();
                throw;
            }
        }

        _statements[index] = statement;
        return statement;
    }

    private static void Bind(DuckDbPreparedStatementHandle statement, DuckDbParameterCollection parameters)
    {
        var count = PreparedStatements.ParameterCount(statement);
        if (count == 0)
        {
            return;
        }

        PreparedStatements.ClearBindings(statement);
        for (var index = 1UL; index <= count; index++)
        {
            var name = PreparedStatements.ParameterName(statement, index) ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var parameter = Find(parameters, name);
            ParameterBinder.BindParameter(statement, index, name, parameter.Value);
        }
    }

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
        return prefix switch
        {
            // The two names DuckDB writes unlike its enum's: ExceptionTypeToString in DuckDB's exception.cpp.
            "TransactionContext" => DuckDbErrorType.Transaction,
            "ExtensionAutoloading" => DuckDbErrorType.Autoload,
            _ => Enum.TryParse<DuckDbErrorType>(prefix, ignoreCase: true, out var type) ? type : DuckDbErrorType.Invalid,
        };
    }
}
