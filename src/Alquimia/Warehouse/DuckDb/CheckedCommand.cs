using System.Data;
using System.Data.Common;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// A DuckDB.NET command that reads in streaming mode (DuckDB.NET's default materializes the whole result first) and
/// raises <see cref="DuckDbEngineException"/> with DuckDB's own kind of error and the failed SQL. An error inside a
/// transaction is noted on it, so that its commit can say why it was refused.
/// </summary>
public sealed class CheckedCommand : DuckDBCommand
{
    public CheckedCommand()
    {
        UseStreamingMode = true;
    }

    public CheckedCommand(string commandText) : base(commandText)
    {
        UseStreamingMode = true;
    }

    public override int ExecuteNonQuery() => Run(base.ExecuteNonQuery);

    public override object? ExecuteScalar() => Run(base.ExecuteScalar);

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        AsTask(() => Run(base.ExecuteNonQuery, cancellationToken));

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        AsTask(() => Run(base.ExecuteScalar, cancellationToken));

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Opened(Run(() => base.ExecuteDbDataReader(behavior)));

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        AsTask(() => Opened(Run(() => base.ExecuteDbDataReader(behavior), cancellationToken)));

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="cancellationToken"/> and <see cref="DbCommand.CommandTimeout"/>
    /// (which DuckDB.NET ignores) interrupting DuckDB until it returns. An interrupt the token caused surfaces as
    /// <see cref="OperationCanceledException"/>, one the timeout caused as an Interrupt error that says so.
    /// </summary>
    internal T Run<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(CommandText))
        {
            throw new InvalidOperationException("The command has no SQL: set CommandText to the SQL to run.");
        }

        var connection = Connection as DuckDBConnection ?? throw new InvalidOperationException("The command has no connection.");
        using var timeout = CommandTimeout > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(CommandTimeout)) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? CancellationToken.None);
        using var interrupt = linked.Token.CanBeCanceled
            ? linked.Token.Register(static state => ((DuckDBConnection)state!).NativeConnection.Interrupt(), connection)
            : default;
        try
        {
            return work();
        }
        catch (Exception error) when (error is DuckDBException or OperationCanceledException or DuckDbEngineException)
        {
            var failure = Failed(error);
            if (failure.ErrorType == DuckDBErrorType.Interrupt && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The statement was interrupted: it was cancelled or its run timed out.", failure, cancellationToken);
            }

            if (failure.ErrorType == DuckDBErrorType.Interrupt && timeout is { IsCancellationRequested: true })
            {
                throw new DuckDbEngineException(
                    $"The statement was interrupted at its timeout of {CommandTimeout} s (CommandTimeout). Raise the timeout, or make the statement cheaper.",
                    DuckDBErrorType.Interrupt, CommandText, failure);
            }

            throw failure;
        }
    }

    /// <summary>DuckDB runs synchronously: the task is complete when returned, its failure inside it as ADO.NET expects.</summary>
    private static Task<T> AsTask<T>(Func<T> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (OperationCanceledException cancelled) when (cancelled.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancelled.CancellationToken);
        }
        catch (Exception error)
        {
            return Task.FromException<T>(error);
        }
    }

    /// <summary>The reader, known to its connection, which closes it with itself.</summary>
    private DbDataReader Opened(DbDataReader reader)
    {
        (Connection as CheckedConnection)?.Track(reader);
        return reader;
    }

    /// <summary>The error as DuckDB named it. DuckDB.NET raises an interrupted statement as a bare OperationCanceledException; it is an Interrupt error here, which the caller turns into its own cancellation when it asked for one.</summary>
    private DuckDbEngineException Failed(Exception error)
    {
        if (error is DuckDbEngineException known)
        {
            return known;
        }

        var converted = error is OperationCanceledException
            ? new DuckDbEngineException("INTERRUPT Error: Interrupted!", DuckDBErrorType.Interrupt, CommandText, error)
            : (DuckDbEngineException)DuckDbErrors.Convert(error, CommandText);
        (Connection as CheckedConnection)?.CurrentTransaction?.NoteFailure(converted);
        return converted;
    }
}
