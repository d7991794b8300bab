using DuckDB.NET.Data;
using DuckDB.NET.Native;
using System.Data;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// <see cref="DuckDbTransaction"/>: commit, rollback, rollback on dispose, one transaction per connection. Each test
/// uses a named in-memory database so that a second connection can look at what the first one committed.
/// </summary>
public sealed class TransactionTests : IDisposable
{
    private readonly ObservedDuckDb _db = new("tx");
    private readonly CheckedConnection _connection;
    private readonly CheckedConnection _observer;

    public TransactionTests()
    {
        _connection = _db.Connection;
        _observer = _db.Observer;
        Execute(_connection, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER)");
        Execute(_connection, "INSERT INTO accounts VALUES (1, 100)");
    }

    [Fact]
    public void Commit_MakesChangesVisibleToOtherConnections_OnlyAfterwards()
    {
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, "INSERT INTO accounts VALUES (2, 50)");
        Assert.Equal(2L, Count(_connection));
        Assert.Equal(1L, Count(_observer));

        transaction.Commit();

        Assert.True(transaction.IsCompleted);
        Assert.Equal(2L, Count(_observer));
    }

    [Fact]
    public void Commit_AfterAStatementBrokeAConstraint_RollsBackAndThrows_InsteadOfLosingTheTransactionSilently()
    {
        // DuckDB answers the COMMIT of a transaction an error invalidated by rolling back and reporting success.
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, "INSERT INTO accounts VALUES (2, 50)");
        Assert.Throws<DuckDbEngineException>(() => Execute(_connection, "INSERT INTO accounts VALUES (1, 999)"));

        var error = Assert.Throws<DuckDbEngineException>(transaction.Commit);

        Assert.Equal(DuckDBErrorType.Transaction, error.ErrorType);
        Assert.Contains("rolled back, not committed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Duplicate key", error.Message, StringComparison.Ordinal);
        Assert.True(transaction.IsCompleted);
        Assert.Equal(1L, Count(_observer));
        Assert.Equal(1L, Count(_connection));
        Execute(_connection, "INSERT INTO accounts VALUES (3, 10)");
        Assert.Equal(2L, Count(_observer));
    }

    [Fact]
    public void Commit_AfterAnErrorThatDoesNotInvalidateTheTransaction_CommitsTheRest()
    {
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, "INSERT INTO accounts VALUES (2, 50)");
        Assert.Throws<DuckDbEngineException>(() => Execute(_connection, "SELECT * FROM no_such_table"));

        transaction.Commit();

        Assert.Equal(2L, Count(_observer));
    }

    [Fact]
    public void Rollback_DiscardsEveryChangeOfTheTransaction()
    {
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, "INSERT INTO accounts VALUES (2, 50)");
        Execute(_connection, "UPDATE accounts SET balance = 0 WHERE id = 1");

        transaction.Rollback();

        Assert.Equal(1L, Count(_connection));
        Assert.Equal(100, Balance(_connection, 1));
    }

    [Fact]
    public void Dispose_WithoutCommit_RollsBack()
    {
        using (_connection.BeginTransaction())
        {
            Execute(_connection, "UPDATE accounts SET balance = 0 WHERE id = 1");
        }

        Assert.Equal(100, Balance(_connection, 1));
        Assert.Equal(100, Balance(_observer, 1));
    }

    [Fact]
    public void Dispose_AfterCommit_KeepsTheChanges()
    {
        using (var transaction = _connection.BeginTransaction())
        {
            Execute(_connection, "UPDATE accounts SET balance = 7 WHERE id = 1");
            transaction.Commit();
        }

        Assert.Equal(7, Balance(_observer, 1));
    }

    [Fact]
    public void BeginTransaction_WhileOneIsOpen_Throws_AndLeavesTheFirstUsable()
    {
        using var first = _connection.BeginTransaction();
        Execute(_connection, "UPDATE accounts SET balance = 1 WHERE id = 1");

        var error = Assert.Throws<InvalidOperationException>(() => _connection.BeginTransaction());
        Assert.Contains("already has an open transaction", error.Message, StringComparison.Ordinal);

        first.Commit();
        Assert.Equal(1, Balance(_observer, 1));
    }

    [Fact]
    public void Connection_CanBeginAnotherTransaction_AfterTheFirstCompletes()
    {
        _connection.BeginTransaction().Commit();
        using var second = _connection.BeginTransaction();
        Execute(_connection, "DELETE FROM accounts");
        second.Rollback();

        Assert.Equal(1L, Count(_connection));
    }

    [Fact]
    public void CompletingTwice_Throws()
    {
        using var transaction = _connection.BeginTransaction();
        transaction.Commit();

        Assert.Throws<InvalidOperationException>(transaction.Commit);
        Assert.Throws<InvalidOperationException>(transaction.Rollback);
    }

    [Fact]
    public void ClosingTheConnection_RollsBackItsOpenTransaction()
    {
        var transaction = _connection.BeginTransaction();
        Execute(_connection, "UPDATE accounts SET balance = 0 WHERE id = 1");

        _connection.Close();

        Assert.True(transaction.IsCompleted);
        Assert.Equal(100, Balance(_observer, 1));
        transaction.Dispose();
    }

    [Fact]
    public void FailedStatement_AbortsTheTransaction_UntilRolledBack()
    {
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, "UPDATE accounts SET balance = 0 WHERE id = 1");
        Assert.Throws<DuckDbEngineException>(() => Execute(_connection, "INSERT INTO accounts VALUES (1, 1)"));

        var aborted = Assert.Throws<DuckDbEngineException>(() => Count(_connection));
        Assert.Contains("ROLLBACK", aborted.Message, StringComparison.OrdinalIgnoreCase);

        transaction.Rollback();
        Assert.Equal(100, Balance(_connection, 1));
    }

    [Fact]
    public void AppendedRows_AreRolledBackWithTheTransaction()
    {
        using (_connection.BeginTransaction())
        {
            using var appender = _connection.CreateCheckedAppender("accounts");
            appender.CreateRow().Append(2).Append(50).EndRow();
            appender.Close();
            Assert.Equal(2L, Count(_connection));
        }

        Assert.Equal(1L, Count(_connection));
    }

    [Theory]
    [InlineData(IsolationLevel.Unspecified)]
    [InlineData(IsolationLevel.Snapshot)]
    public void SnapshotIsolation_IsAccepted(IsolationLevel level)
    {
        using var transaction = _connection.BeginTransaction(level);
        Assert.Equal(IsolationLevel.Snapshot, transaction.IsolationLevel);
        Assert.Same(_connection, transaction.Connection);
    }

    [Fact]
    public void OtherIsolationLevels_AreRefused()
    {
        var error = Assert.Throws<NotSupportedException>(() => _connection.BeginTransaction(IsolationLevel.ReadCommitted));
        Assert.Contains("snapshot isolation", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, Count(_connection));
    }

    public void Dispose() => _db.Dispose();

    private static void Execute(CheckedConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    private static long Count(CheckedConnection connection)
    {
        using var command = connection.CreateCommand("SELECT count(*) FROM accounts");
        return (long)command.ExecuteScalar()!;
    }

    private static int Balance(CheckedConnection connection, int id)
    {
        using var command = connection.CreateCommand("SELECT balance FROM accounts WHERE id = $1");
        command.Parameters.Add(new DuckDBParameter(id));
        return (int)command.ExecuteScalar()!;
    }
}
