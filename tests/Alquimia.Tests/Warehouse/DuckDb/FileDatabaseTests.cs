using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// A file database closes when its last connection closes, even when commands, readers or appenders made on it were
/// never disposed: each holds DuckDB's connection, and a database left open behind the caller's back would be opened
/// a second time by the next connection, the two instances overwriting each other's writes.
/// </summary>
public sealed class FileDatabaseTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _connectionString;

    public FileDatabaseTests()
    {
        _connectionString = $"Data Source={_directory.File("warehouse.duckdb")}";
    }

    [Fact]
    public void Close_ReleasesACommandLeftUndisposed_SoTheNextConnectionLosesNoWrites()
    {
        var first = Open();
        var leaked = first.CreateCommand("CREATE TABLE t AS SELECT range AS v FROM range(10)");
        leaked.ExecuteNonQuery();
        first.Close();

        Execute("INSERT INTO t SELECT range FROM range(1000); CHECKPOINT");
        leaked.Dispose();

        Assert.Equal(1010L, Count());
    }

    [Fact]
    public void Close_ClosesAReaderLeftOpen_SoTheNextConnectionLosesNoWrites()
    {
        var first = Open();
        using (var create = first.CreateCommand("CREATE TABLE t AS SELECT range AS v FROM range(10)"))
        {
            create.ExecuteNonQuery();
        }

        var command = first.CreateCommand("SELECT v FROM t");
        var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        first.Close();

        Execute("INSERT INTO t SELECT range FROM range(1000); CHECKPOINT");
        reader.Dispose();
        command.Dispose();

        Assert.Equal(1010L, Count());
    }

    [Fact]
    public void Close_WritesTheRowsOfAnAppenderLeftOpen_AndClosesIt()
    {
        var first = Open();
        using (var create = first.CreateCommand("CREATE TABLE t (v INTEGER)"))
        {
            create.ExecuteNonQuery();
        }

        var appender = first.CreateCheckedAppender("t");
        appender.CreateRow().Append(1).EndRow();
        first.Close();

        Assert.Throws<ObjectDisposedException>(() => appender.CreateRow());
        Execute("INSERT INTO t VALUES (2); CHECKPOINT");
        appender.Dispose();

        Assert.Equal(2L, Count());
    }

    [Fact]
    public void Close_ReportsTheFailureOfAnAppenderLeftOpen_AfterClosingAnyway()
    {
        var connection = Open();
        using (var create = connection.CreateCommand("CREATE TABLE t (v INTEGER PRIMARY KEY)"))
        {
            create.ExecuteNonQuery();
        }

        var transaction = connection.BeginTransaction();
        var appender = connection.CreateCheckedAppender("t");
        appender.CreateRow().Append(1).EndRow();
        appender.CreateRow().Append(1).EndRow();

        var error = Assert.Throws<DuckDbEngineException>(connection.Close);

        Assert.Equal(DuckDBErrorType.Constraint, error.ErrorType);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        Assert.True(transaction.IsCompleted);
        connection.Open();
        connection.BeginTransaction().Commit();
        connection.Dispose();
        Assert.Equal(0L, Count());
    }

    [Fact]
    public void Command_WhoseConnectionWasClosedAndReopened_RunsAgain()
    {
        using var connection = Open();
        using var command = connection.CreateCommand("SELECT 40 + $1");
        command.Parameters.Add(new DuckDBParameter(1));
        Assert.Equal(41, command.ExecuteScalar());

        connection.Close();
        connection.Open();
        command.Parameters[0].Value = 2;

        Assert.Equal(42, command.ExecuteScalar());
    }

    public void Dispose() => _directory.Dispose();

    private CheckedConnection Open()
    {
        var connection = new CheckedConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    private long Count()
    {
        using var connection = Open();
        using var command = connection.CreateCommand("SELECT count(*) FROM t");
        return (long)command.ExecuteScalar()!;
    }
}
