using System.Data;
using System.Data.Common;
using DuckDB.NET.Native;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// A DuckDB transaction (snapshot isolation) whose commit never reports success for changes DuckDB threw away, begun
/// read-write or read-only (every write in it refused). Disposing one that was neither committed nor rolled back rolls
/// it back.
/// </summary>
public sealed class CheckedTransaction : DbTransaction
{
    private CheckedConnection? _connection;
    private DuckDbEngineException? _firstFailure;

    private CheckedTransaction(CheckedConnection connection, bool readOnly)
    {
        _connection = connection;
        IsReadOnly = readOnly;
    }

    /// <summary>True when every write in the transaction is refused.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Begins a transaction on <paramref name="connection"/>.</summary>
    internal static CheckedTransaction Begin(CheckedConnection connection, bool readOnly)
    {
        Run(connection, readOnly ? "BEGIN TRANSACTION READ ONLY" : "BEGIN TRANSACTION");
        return new CheckedTransaction(connection, readOnly);
    }

    public override IsolationLevel IsolationLevel => IsolationLevel.Snapshot;

    /// <summary>True once committed or rolled back.</summary>
    public bool IsCompleted => _connection is null;

    protected override DbConnection? DbConnection => _connection;

    /// <summary>
    /// Commits. After a statement error that invalidated the transaction (a broken constraint, an interrupt), DuckDB
    /// answers COMMIT by rolling back, and DuckDB.NET reports success; this rolls back and throws instead.
    /// </summary>
    /// <exception cref="DuckDbEngineException">The transaction could not be committed and was rolled back.</exception>
    public override void Commit()
    {
        var connection = Detach();
        if (!StillValid(connection))
        {
            Run(connection, "ROLLBACK");
            var cause = _firstFailure is null ? "" : $" ({_firstFailure.DuckDbMessage})";
            throw new DuckDbEngineException(
                $"The transaction was rolled back, not committed: a statement in it failed{cause}, and DuckDB commits nothing "
                + "after such an error. Fix the cause and run the whole transaction again.",
                DuckDBErrorType.Transaction, innerException: _firstFailure);
        }

        Run(connection, "COMMIT");
    }

    public override void Rollback() => Run(Detach(), "ROLLBACK");

    /// <summary>Remembers the first error raised inside the transaction, to say why a commit was refused.</summary>
    internal void NoteFailure(DuckDbEngineException error) => _firstFailure ??= error;

    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { State: ConnectionState.Open })
        {
            Rollback();
        }

        base.Dispose(disposing);
    }

    /// <summary>Ends the transaction on our side first: if COMMIT fails, DuckDB has ended it too, so it is never retried.</summary>
    private CheckedConnection Detach()
    {
        var connection = _connection ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        _connection = null;
        connection.CurrentTransaction = null;
        return connection;
    }

    private static void Run(CheckedConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Whether DuckDB would still commit: in a transaction an error invalidated, every statement but ROLLBACK fails.
    /// Which errors invalidate is DuckDB's to decide (a missing table does not, a broken constraint does), so it is asked.
    /// </summary>
    private static bool StillValid(CheckedConnection connection)
    {
        try
        {
            using var probe = connection.CreateCommand("SELECT 1");
            probe.ExecuteNonQuery();
            return true;
        }
        catch (DuckDbEngineException error) when (error.ErrorType == DuckDBErrorType.Transaction)
        {
            return false;
        }
    }
}
