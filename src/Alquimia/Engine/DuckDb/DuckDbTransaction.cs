using System.Data;
using System.Data.Common;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// A DuckDB transaction (snapshot isolation). Disposing one that was neither committed nor rolled back rolls it
/// back, so an exception between BEGIN and COMMIT never leaves half a change behind.
/// </summary>
public sealed class DuckDbTransaction : DbTransaction
{
    private DuckDbConnection? _connection;
    private DuckDbException? _firstFailure;

    internal DuckDbTransaction(DuckDbConnection connection)
    {
        _connection = connection;
    }

    public override IsolationLevel IsolationLevel => IsolationLevel.Snapshot;

    /// <summary>True once committed or rolled back.</summary>
    public bool IsCompleted => _connection is null;

    protected override DbConnection? DbConnection => _connection;

    /// <summary>
    /// Commits. When a statement of the transaction failed in a way that invalidated it, DuckDB would answer COMMIT by
    /// rolling back and reporting success; this rolls back and throws instead, so a lost transaction is never silent.
    /// </summary>
    /// <exception cref="DuckDbException">The transaction could not be committed and was rolled back.</exception>
    public override void Commit()
    {
        var connection = Detach();
        if (!StillValid(connection))
        {
            connection.ExecuteNonQueryText("ROLLBACK");
            var cause = _firstFailure is null ? "" : $" ({_firstFailure.DuckDbMessage})";
            throw new DuckDbException(
                $"The transaction was rolled back, not committed: a statement in it failed{cause}, and DuckDB commits nothing "
                + "after such an error. Fix the cause and run the whole transaction again.",
                DuckDbErrorType.Transaction, innerException: _firstFailure);
        }

        connection.ExecuteNonQueryText("COMMIT");
    }

    public override void Rollback() => Detach().ExecuteNonQueryText("ROLLBACK");

    /// <summary>Remembers the first error raised inside the transaction, to say why a commit was refused.</summary>
    internal void NoteFailure(DuckDbException error) => _firstFailure ??= error;

    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { State: ConnectionState.Open })
        {
            Rollback();
        }

        base.Dispose(disposing);
    }

    /// <summary>Ends the transaction on our side first: if COMMIT fails, DuckDB has ended it too, so it is never retried.</summary>
    private DuckDbConnection Detach()
    {
        var connection = _connection
            ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        _connection = null;
        connection.CurrentTransaction = null;
        return connection;
    }

    /// <summary>
    /// Whether DuckDB would still commit: in a transaction an error invalidated, every statement but ROLLBACK fails.
    /// Which errors invalidate is DuckDB's to decide (a missing table does not, a broken constraint does), so it is asked.
    /// </summary>
    private static bool StillValid(DuckDbConnection connection)
    {
        try
        {
            connection.ExecuteNonQueryText("SELECT 1");
            return true;
        }
        catch (DuckDbException error) when (error.ErrorType == DuckDbErrorType.Transaction)
        {
            return false;
        }
    }
}
