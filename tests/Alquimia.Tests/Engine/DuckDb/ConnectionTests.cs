using System.Data;
using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>
/// <see cref="DuckDbConnection"/> and the ADO.NET surface over it: the same open → connect → query → prepare → bind →
/// execute → fetch path that <c>NativeMethodsTests</c> walks through the C API directly.
/// </summary>
public sealed class ConnectionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void AdoNet_OpensPreparesBindsExecutesAndFetchesEveryChunk()
    {
        using var connection = new DuckDbConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand("CREATE TABLE t AS SELECT range AS i, 'row ' || range AS label FROM range(5000)"))
        {
            Assert.Equal(-1, create.ExecuteNonQuery());
        }

        using var query = connection.CreateCommand("SELECT i, label FROM t WHERE i < $1 ORDER BY i");
        query.Parameters.AddValue(4500L);
        query.Prepare();

        foreach (var limit in new[] { 4500L, 10L })
        {
            query.Parameters[0].Value = limit;
            using var reader = query.ExecuteReader();
            long rows = 0;
            while (reader.Read())
            {
                Assert.Equal(rows, reader.GetInt64(0));
                Assert.Equal($"row {rows}", reader.GetString(1));
                rows++;
            }

            // 4500 rows span three of DuckDB's 2048-row chunks.
            Assert.Equal(limit, rows);
        }
    }

    [Fact]
    public void StreamingMode_ReadsTheSameRowsAsMaterializedMode()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        const string Sql = "SELECT range AS i, range::VARCHAR || ' ação' AS s FROM range(20000) ORDER BY i";

        List<(long, string)> Read(bool streaming)
        {
            using var command = connection.CreateCommand(Sql);
            command.UseStreamingMode = streaming;
            using var reader = command.ExecuteReader();
            var rows = new List<(long, string)>();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1)));
            }

            return rows;
        }

        var streamed = Read(streaming: true);
        Assert.Equal(20_000, streamed.Count);
        Assert.Equal(Read(streaming: false), streamed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConstantColumns_ReadTheSameValueInEveryRow(bool streaming)
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        using var command = connection.CreateCommand(
            "SELECT 'a constant longer than twelve bytes' AS c, 7 AS n, NULL::INTEGER AS z, [1, 2] AS l, range AS i FROM range(5000)");
        command.UseStreamingMode = streaming;
        using var reader = command.ExecuteReader();

        var rows = 0;
        while (reader.Read())
        {
            Assert.Equal("a constant longer than twelve bytes", reader.GetString(0));
            Assert.Equal(7, reader.GetInt32(1));
            Assert.True(reader.IsDBNull(2));
            Assert.Equal("[1,2]", reader.GetString(3));
            Assert.Equal(rows++, reader.GetInt64(4));
        }

        Assert.Equal(5000, rows);
    }

    [Fact]
    public void OpenAndClose_ChangeTheState_AndRaiseStateChange()
    {
        using var connection = new DuckDbConnection("Data Source=:memory:");
        var changes = new List<(ConnectionState From, ConnectionState To)>();
        connection.StateChange += (_, change) => changes.Add((change.OriginalState, change.CurrentState));

        connection.Open();
        Assert.Equal(ConnectionState.Open, connection.State);
        connection.Close();
        connection.Close();

        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.Equal([(ConnectionState.Closed, ConnectionState.Open), (ConnectionState.Open, ConnectionState.Closed)], changes);
    }

    [Fact]
    public void Open_Twice_Throws_AndConnectionStringIsFixedWhileOpen()
    {
        using var connection = new DuckDbConnection();
        connection.Open();

        Assert.Throws<InvalidOperationException>(connection.Open);
        Assert.Throws<InvalidOperationException>(() => connection.ConnectionString = "Data Source=other.duckdb");
        Assert.Equal(":memory:", connection.DataSource);
    }

    [Fact]
    public void ClosedConnection_CanBeOpenedAgain()
    {
        using var connection = new DuckDbConnection();
        connection.Open();
        connection.Close();
        connection.Open();

        using var command = connection.CreateCommand("SELECT 7");
        Assert.Equal(7, command.ExecuteScalar());
    }

    [Fact]
    public void ServerVersion_IsThePinnedDuckDbVersion()
    {
        using var connection = new DuckDbConnection();
        Assert.StartsWith("v1.5.", connection.ServerVersion, StringComparison.Ordinal);
        connection.Open();
        using var command = connection.CreateCommand("SELECT version()");
        Assert.Equal(connection.ServerVersion, command.ExecuteScalar());
    }

    [Fact]
    public void PrivateInMemoryDatabases_AreSeparate_AndNamedOnesAreShared()
    {
        var name = $"Data Source=:memory:shared-{Guid.NewGuid():N}";
        using var first = Open("Data Source=:memory:");
        using var second = Open("Data Source=:memory:");
        using var namedA = Open(name);
        using var namedB = Open(name);

        Execute(first, "CREATE TABLE only_here (v INTEGER)");
        Execute(namedA, "CREATE TABLE shared (v INTEGER); INSERT INTO shared VALUES (1)");

        Assert.Throws<DuckDbException>(() => Execute(second, "SELECT * FROM only_here"));
        using var read = namedB.CreateCommand("SELECT v FROM shared");
        Assert.Equal(1, read.ExecuteScalar());
    }

    [Fact]
    public void FileDatabase_KeepsItsData_AfterEveryConnectionClosed()
    {
        var path = _directory.File("warehouse.duckdb");
        using (var writer = Open($"Data Source={path}"))
        {
            Execute(writer, "CREATE TABLE kept AS SELECT 'São Paulo' AS cidade");
        }

        using var reader = Open($"Data Source={path}");
        using var command = reader.CreateCommand("SELECT cidade FROM kept");
        Assert.Equal("São Paulo", command.ExecuteScalar());
    }

    [Fact]
    public void ReadOnlyConnection_ReadsButRefusesWrites()
    {
        var path = _directory.File("readonly.duckdb");
        using (var writer = Open($"Data Source={path}"))
        {
            Execute(writer, "CREATE TABLE t AS SELECT 1 AS v");
        }

        using var connection = Open($"Data Source={path};Read Only=true");
        using var read = connection.CreateCommand("SELECT v FROM t");
        Assert.Equal(1, read.ExecuteScalar());
        var error = Assert.Throws<DuckDbException>(() => Execute(connection, "INSERT INTO t VALUES (2)"));
        Assert.Contains("read-only", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ConnectionStringSettings_ReachDuckDb()
    {
        using var connection = Open("Data Source=:memory:;Threads=1;Memory Limit=256MB;default_order=desc");
        using var command = connection.CreateCommand(
            "SELECT current_setting('threads'), current_setting('memory_limit'), current_setting('default_order')");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Contains("MiB", reader.GetString(1), StringComparison.Ordinal);
        Assert.Equal("desc", reader.GetString(2), ignoreCase: true);
    }

    [Fact]
    public void ConnectionStringBuilder_ReadsSynonyms_AndWritesCanonicalKeys()
    {
        var builder = new DuckDbConnectionStringBuilder("DataSource=a.duckdb;read_only=true;memory_limit=1GB");

        Assert.Equal("a.duckdb", builder.DataSource);
        Assert.True(builder.ReadOnly);
        Assert.Equal("1GB", builder.MemoryLimit);
        Assert.Null(builder.Threads);

        builder.Threads = 4;
        builder.MemoryLimit = null;
        Assert.Equal("Data Source=a.duckdb;Read Only=true;Threads=4", builder.ConnectionString);
        Assert.Equal(":memory:", new DuckDbConnectionStringBuilder().DataSource);
    }

    [Fact]
    public void ChangeDatabase_IsNotSupported()
    {
        using var connection = Open("Data Source=:memory:");
        Assert.Throws<NotSupportedException>(() => connection.ChangeDatabase("other"));
        Assert.Equal("main", connection.Database);
    }

    public void Dispose() => _directory.Dispose();

    private static DuckDbConnection Open(string connectionString)
    {
        var connection = new DuckDbConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(DuckDbConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }
}
