using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>
/// <see cref="DuckDbAppender"/> when DuckDB refuses rows: DuckDB writes them in batches as the appender goes, so a
/// failure can surface at any batch, after earlier ones were committed. The tests use a named in-memory database so
/// that a second connection can see what was committed.
/// </summary>
public sealed class AppenderFailureTests : IDisposable
{
    /// <summary>DuckDB's appender writes its rows to the table every 100 chunks of 2048 rows.</summary>
    private const int BatchRows = 204_800;

    private readonly ObservedDuckDb _db = new("appender");
    private readonly DuckDbConnection _connection;
    private readonly DuckDbConnection _observer;

    public AppenderFailureTests()
    {
        _connection = _db.Connection;
        _observer = _db.Observer;
        Execute("CREATE TABLE keyed (id INTEGER PRIMARY KEY)");
    }

    [Fact]
    public void Rows_AreWrittenAndCommittedInBatchesAsTheAppenderGoes_NotOnlyAtClose()
    {
        using (var appender = _connection.CreateAppender("keyed"))
        {
            for (var i = 0; i < BatchRows; i++)
            {
                appender.CreateRow().Append(i).EndRow();
            }

            Assert.Equal(BatchRows, Count(_observer));

            appender.CreateRow().Append(BatchRows).EndRow();
            Assert.Equal(BatchRows, Count(_observer));
        }

        Assert.Equal(BatchRows + 1, Count(_observer));
    }

    [Fact]
    public void BatchRefusedMidLoad_LeavesTheAppenderRefusingRows_ItsEarlierBatchesCommitted_AndItDisposesQuietly()
    {
        const int RowsAfterTheFailure = 5000;
        const int DuplicateRow = BatchRows + 1;
        var appender = _connection.CreateAppender("keyed");
        var failures = new List<(int Row, DuckDbException Error)>();
        var refusals = new List<InvalidOperationException>();
        for (var i = 0; i < (2 * BatchRows) + RowsAfterTheFailure; i++)
        {
            try
            {
                appender.CreateRow().Append(i == DuplicateRow ? 0 : i).EndRow();
            }
            catch (DuckDbException error)
            {
                failures.Add((i, error));
            }
            catch (InvalidOperationException error)
            {
                refusals.Add(error);
            }
        }

        // DuckDB checks the key when it writes the second batch, which the row that fills its last chunk sets off.
        var (row, failure) = Assert.Single(failures);
        Assert.Equal((2 * BatchRows) - 1, row);
        Assert.Equal(DuckDbErrorType.Constraint, failure.ErrorType);
        Assert.Contains("Duplicate key \"id: 0\"", failure.Message, StringComparison.Ordinal);

        var duckDbMessage = failure.Message[(failure.Message.IndexOf("writing rows: ", StringComparison.Ordinal) + "writing rows: ".Length)..];
        var refused = $"The appender for 'keyed' failed earlier ({duckDbMessage}): dispose it and start a new one.";
        Assert.Equal(RowsAfterTheFailure, refusals.Count);
        Assert.All(refusals, error => Assert.Equal(refused, error.Message));
        Assert.Equal(refused, Assert.Throws<InvalidOperationException>(appender.Flush).Message);

        Assert.Null(Record.Exception(appender.Dispose));
        Assert.Null(Record.Exception(appender.Dispose));
        Assert.Equal(BatchRows, Count(_observer));
        Assert.Equal(BatchRows - 1, Scalar("SELECT max(id) FROM keyed"));

        using (var next = _connection.CreateAppender("keyed"))
        {
            next.CreateRow().Append(-1).EndRow();
        }

        Assert.Equal(BatchRows + 1, Count(_observer));
    }

    [Fact]
    public void Close_ThatFails_ThrowsOnce_AndDisposingAfterwardsDoesNotThrowAgain()
    {
        var appender = _connection.CreateAppender("keyed");
        appender.CreateRow().Append(1).EndRow();
        appender.CreateRow().Append(1).EndRow();

        var error = Assert.Throws<DuckDbException>(appender.Close);

        Assert.Equal(DuckDbErrorType.Constraint, error.ErrorType);
        Assert.Null(Record.Exception(appender.Dispose));
        Assert.Equal(0L, Count(_observer));
        Assert.Throws<ObjectDisposedException>(() => appender.CreateRow());
    }

    [Fact]
    public void InsideATransaction_ALoadThatFails_LeavesNothingAfterRollback()
    {
        using (var transaction = _connection.BeginTransaction())
        {
            var appender = _connection.CreateAppender("keyed");
            for (var i = 0; i < BatchRows; i++)
            {
                appender.CreateRow().Append(i).EndRow();
            }

            // The first batch is written, but only inside the transaction.
            Assert.Equal(BatchRows, Count(_connection));
            Assert.Equal(0L, Count(_observer));

            appender.CreateRow().Append(0).EndRow();
            Assert.Throws<DuckDbException>(appender.Close);

            transaction.Rollback();
        }

        Assert.Equal(0L, Count(_connection));
        Assert.Equal(0L, Count(_observer));
    }

    [Fact]
    public void Flush_WithARowNotEnded_Throws_AndTheRowCanBeFinished()
    {
        Execute("CREATE TABLE pair (a INTEGER, b INTEGER)");
        using (var appender = _connection.CreateAppender("pair"))
        {
            appender.CreateRow().Append(1).Append(2).EndRow();
            var row = appender.CreateRow().Append(3);

            var error = Assert.Throws<InvalidOperationException>(appender.Flush);
            Assert.Contains("row of 'pair' was not ended", error.Message, StringComparison.Ordinal);

            row.Append(4).EndRow();
        }

        Assert.Equal(2L, Scalar("SELECT count(*) FROM pair WHERE b = a + 1"));
    }

    [Fact]
    public void RowKeptPastClose_RefusesValues_InsteadOfWritingIntoTheReleasedChunk()
    {
        var appender = _connection.CreateAppender("keyed");
        var row = appender.CreateRow();
        appender.Dispose();

        Assert.Throws<ObjectDisposedException>(() => row.Append(1));
        Assert.Equal(0L, Count(_observer));
    }

    public void Dispose() => _db.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand(sql);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long Count(DuckDbConnection connection)
    {
        using var command = connection.CreateCommand("SELECT count(*) FROM keyed");
        return (long)command.ExecuteScalar()!;
    }
}
