using System.Data;
using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary><see cref="DuckDbCommand"/> and its reader over commands of one or several statements.</summary>
public sealed class CommandTests : IDisposable
{
    private readonly InMemoryDuckDb _db = new();

    [Fact]
    public void MultiStatementCommand_MayUseWhatItsEarlierStatementsCreate()
    {
        var affected = _db.Execute(
            "CREATE SCHEMA bronze; CREATE TABLE bronze.chamados (id INTEGER, status VARCHAR); "
            + "INSERT INTO bronze.chamados VALUES (1, 'aberto'), (2, 'fechado'); UPDATE bronze.chamados SET status = 'x' WHERE id = 2");

        Assert.Equal(3, affected);
        Assert.Equal(["aberto", "x"], _db.Rows("SELECT status FROM bronze.chamados ORDER BY id").Select(row => (string)row[0]));
    }

    [Fact]
    public void MultiStatementCommand_CanBeExecutedAgain_WithNewParameterValues()
    {
        _db.Execute("CREATE TABLE t (v INTEGER)");
        using var command = _db.Connection.CreateCommand("INSERT INTO t VALUES ($v); INSERT INTO t VALUES ($v * 10)");
        var parameter = command.Parameters.Add("v", 1);

        command.ExecuteNonQuery();
        parameter.Value = 2;
        command.ExecuteNonQuery();

        Assert.Equal([1, 2, 10, 20], _db.Rows("SELECT v FROM t ORDER BY v").Select(row => (int)row[0]));
    }

    [Fact]
    public void Reader_WalksEachStatementsResult_WithNextResult()
    {
        using var command = _db.Connection.CreateCommand(
            "CREATE TABLE t AS SELECT range AS v FROM range(3); SELECT v FROM t ORDER BY v; INSERT INTO t VALUES (9); SELECT 'last' AS word");
        using var reader = command.ExecuteReader();

        Assert.Equal(0, reader.FieldCount);
        Assert.False(reader.Read());
        Assert.True(reader.NextResult());
        Assert.Equal("v", reader.GetName(0));
        Assert.Equal([0L, 1L, 2L], ReadAll(reader, r => r.GetInt64(0)));
        Assert.True(reader.NextResult());
        Assert.Equal(0, reader.FieldCount);
        Assert.True(reader.NextResult());
        Assert.True(reader.HasRows);
        Assert.Equal(["last"], ReadAll(reader, r => r.GetString(0)));
        Assert.False(reader.NextResult());
        Assert.Equal(1, reader.RecordsAffected);
    }

    [Fact]
    public void ExecuteScalar_ReturnsTheFirstValueOfTheFirstResultWithColumns()
    {
        using var command = _db.Connection.CreateCommand("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (5); SELECT v * 2 FROM t; SELECT 0");

        Assert.Equal(10, command.ExecuteScalar());
        Assert.Equal(1L, _db.Scalar<long>("SELECT count(*) FROM t"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_AfterTheLastRow_KeepsReturningFalse(bool streaming)
    {
        // A streaming result closes itself after its last chunk, and DuckDB fails a fetch from it after that.
        using var command = _db.Connection.CreateCommand("SELECT range FROM range(3000)");
        command.UseStreamingMode = streaming;
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        Assert.Equal(3000, rows);
        Assert.False(reader.Read());
        Assert.False(reader.Read());
    }

    [Fact]
    public void Reader_ClosedAfterTheFirstResult_RunsTheCommandsOtherStatements()
    {
        _db.Execute("CREATE TABLE t (v INTEGER)");

        using (var reader = _db.Connection.CreateCommand("SELECT 1; INSERT INTO t VALUES (7); INSERT INTO t VALUES (8)").ExecuteReader())
        {
            Assert.True(reader.Read());
        }

        Assert.Equal([7, 8], _db.Rows("SELECT v FROM t ORDER BY v").Select(row => (int)row[0]));
    }

    [Fact]
    public void Reader_OfAnAddColumnWithADefault_AddsTheColumn()
    {
        // DuckDB extracts this one statement as three; the column only exists once the last has run.
        _db.Execute("CREATE TABLE t AS SELECT range AS id FROM range(3)");

        using (var command = _db.Connection.CreateCommand("ALTER TABLE t ADD COLUMN loaded_at TIMESTAMP DEFAULT TIMESTAMP '2026-11-23 04:00:00'"))
        using (command.ExecuteReader())
        {
        }

        Assert.Equal(["2026-11-23 04:00", "2026-11-23 04:00", "2026-11-23 04:00"], _db.Rows("SELECT strftime(loaded_at, '%Y-%m-%d %H:%M') FROM t ORDER BY id").Select(row => (string)row[0]));
    }

    [Fact]
    public void Reader_OutlivesItsDisposedCommand()
    {
        DuckDbDataReader reader;
        using (var command = _db.Connection.CreateCommand("SELECT 1; SELECT 2"))
        {
            reader = command.ExecuteReader();
        }

        using (reader)
        {
            Assert.True(reader.Read());
            Assert.Equal(1, reader.GetInt32(0));
            Assert.True(reader.NextResult());
            Assert.True(reader.Read());
            Assert.Equal(2, reader.GetInt32(0));
        }
    }

    [Fact]
    public void StreamingReader_InterruptedByAnotherCommand_SaysWhyAndWhatToDo()
    {
        using var command = _db.Connection.CreateCommand("SELECT range FROM range(100000)");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(1, _db.Scalar<int>("SELECT 1"));
        var error = Assert.Throws<DuckDbException>(() =>
        {
            while (reader.Read())
            {
            }
        });

        Assert.Contains("another command ran on its connection", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseStreamingMode = false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasRows_StaysTrue_AfterEveryRowWasRead()
    {
        using var command = _db.Connection.CreateCommand("SELECT 1");
        using var reader = command.ExecuteReader();
        Assert.True(reader.HasRows);
        while (reader.Read())
        {
        }

        Assert.True(reader.HasRows);
    }

    [Fact]
    public async Task ExecuteReaderAsync_WithACancelledToken_ReturnsACancelledTask()
    {
        using var command = _db.Connection.CreateCommand("SELECT 1");

        var task = command.ExecuteReaderAsync(new CancellationToken(canceled: true));

        Assert.True(task.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public void GetBytes_FromAnOffsetPastTheEnd_CopiesNothing()
    {
        using var command = _db.Connection.CreateCommand("SELECT '\\x01\\x02'::BLOB");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var buffer = new byte[4];

        Assert.Equal(2, reader.GetBytes(0, 0, buffer, 0, 4));
        Assert.Equal(0, reader.GetBytes(0, 5, buffer, 0, 4));
    }

    [Fact]
    public void ExecuteScalar_OfAnEmptyResult_IsNull()
    {
        using var command = _db.Connection.CreateCommand("SELECT 1 WHERE false");
        Assert.Null(command.ExecuteScalar());
    }

    [Fact]
    public void ExecuteNonQuery_ReturnsRowsChanged_OrMinusOneForStatementsThatChangeNone()
    {
        Assert.Equal(-1, _db.Execute("CREATE TABLE t (v INTEGER)"));
        Assert.Equal(3, _db.Execute("INSERT INTO t SELECT range FROM range(3)"));
        Assert.Equal(2, _db.Execute("DELETE FROM t WHERE v > 0"));
        Assert.Equal(0, _db.Execute("UPDATE t SET v = 1 WHERE v > 100"));
    }

    [Fact]
    public void Prepare_SurfacesAnErrorInTheSql_BeforeExecution()
    {
        using var command = _db.Connection.CreateCommand("SELECT * FROM nowhere");
        Assert.Equal(DuckDbErrorType.Catalog, Assert.Throws<DuckDbException>(command.Prepare).ErrorType);
    }

    [Fact]
    public void ChangingCommandText_RunsTheNewText()
    {
        using var command = _db.Connection.CreateCommand("SELECT 1");
        Assert.Equal(1, command.ExecuteScalar());

        command.CommandText = "SELECT 2";

        Assert.Equal(2, command.ExecuteScalar());
    }

    [Fact]
    public void CommandWithoutConnection_ThrowsInvalidOperation()
    {
        using var command = new DuckDbCommand("SELECT 1");
        Assert.Contains("no connection", Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoredProcedureCommandType_IsRefused()
    {
        using var command = _db.Connection.CreateCommand();
        Assert.Throws<NotSupportedException>(() => command.CommandType = CommandType.StoredProcedure);
        Assert.Equal(CommandType.Text, command.CommandType);
    }

    [Fact]
    public async Task AsyncMethods_ReportFailureThroughTheReturnedTask_NotBySynchronousThrow()
    {
        using var command = _db.Connection.CreateCommand("SELECT * FROM nowhere");

        var scalar = command.ExecuteScalarAsync(CancellationToken.None);
        var nonQuery = command.ExecuteNonQueryAsync(CancellationToken.None);
        var reader = command.ExecuteReaderAsync(CancellationToken.None);

        Assert.All(new Task[] { scalar, nonQuery, reader }, task => Assert.True(task.IsFaulted));
        await Assert.ThrowsAsync<DuckDbException>(() => scalar);
        await Assert.ThrowsAsync<DuckDbException>(() => nonQuery);
        await Assert.ThrowsAsync<DuckDbException>(() => reader);
    }

    [Fact]
    public void ReadingBeforeRead_OrAfterTheLastRow_ThrowsInvalidOperation()
    {
        using var command = _db.Connection.CreateCommand("SELECT 1 AS one");
        using var reader = command.ExecuteReader();

        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
        Assert.True(reader.Read());
        Assert.Equal(1, reader.GetInt32(0));
        Assert.False(reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
    }

    [Fact]
    public void ColumnThatDoesNotExist_ThrowsIndexOutOfRange_ListingTheColumns()
    {
        using var command = _db.Connection.CreateCommand("SELECT 1 AS one, 2 AS two");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(1, reader.GetOrdinal("TWO"));
        Assert.Equal(2, reader["two"]);
        Assert.Contains("one, two", Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("three")).Message, StringComparison.Ordinal);
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetValue(2));
    }

    [Fact]
    public void GetBytesAndGetChars_CopyPiecesOfTheValue()
    {
        using var command = _db.Connection.CreateCommand("SELECT '\\x00\\x01\\x02\\x03\\x04'::BLOB, 'ação'");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(5, reader.GetBytes(0, 0, null, 0, 0));
        var bytes = new byte[3];
        Assert.Equal(3, reader.GetBytes(0, 2, bytes, 0, 10));
        Assert.Equal([2, 3, 4], bytes);
        var chars = new char[2];
        Assert.Equal(2, reader.GetChars(1, 2, chars, 0, 2));
        Assert.Equal("ão", new string(chars));
    }

    [Fact]
    public void CloseConnectionBehavior_ClosesTheConnectionWithTheReader()
    {
        using var command = _db.Connection.CreateCommand("SELECT 1");
        using (var reader = command.ExecuteReader(CommandBehavior.CloseConnection))
        {
            Assert.True(reader.Read());
        }

        Assert.Equal(ConnectionState.Closed, _db.Connection.State);
    }

    [Fact]
    public void Enumerating_TheReader_YieldsEachRecord()
    {
        using var command = _db.Connection.CreateCommand("SELECT range AS v FROM range(4)");
        using var reader = command.ExecuteReader();

        Assert.Equal([0L, 1L, 2L, 3L], reader.Cast<IDataRecord>().Select(record => (long)record["v"]).ToList());
    }

    public void Dispose() => _db.Dispose();

    private static List<T> ReadAll<T>(DuckDbDataReader reader, Func<DuckDbDataReader, T> read)
    {
        var values = new List<T>();
        while (reader.Read())
        {
            values.Add(read(reader));
        }

        return values;
    }
}
