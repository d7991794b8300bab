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

    internal DuckDbTransaction(DuckDbConnection connection)
    {
        _connection = connection;
    }

    public override IsolationLevel IsolationLevel => IsolationLevel.Snapshot;

    /// <summary>True once committed or rolled back.</summary>
    public bool IsCompleted => _connection is null;

    protected override DbConnection? DbConnection => _connection;

    public override void Commit() => Complete("COMMIT");

    public override void Rollback() => Complete("ROLLBACK");

    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is { State: ConnectionState.Open })
        {
            Rollback();
        }

        base.Dispose(disposing);
    }

    private void Complete(string sql)
    {
        var connection = _connection
            ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        // Detach first: if COMMIT fails, DuckDB has already ended the transaction, so it must not be retried.
        _connection = null;
        connection.CurrentTransaction = null;
        connection.ExecuteNonQueryText(sql);
    }
}
