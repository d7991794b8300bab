using DuckDB.NET.Data;
using System.Data;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// <see cref="CheckedConnection"/> and the ADO.NET surface over it: the same open → connect → query → prepare → bind →
/// execute → fetch path that <c>NativeMethodsTests</c> walks through the C API directly.
/// </summary>
public sealed class ConnectionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void AdoNet_OpensPreparesBindsExecutesAndFetchesEveryChunk()
    {
        using var connection = new CheckedConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand("CREATE TABLE t AS SELECT range AS i, 'row ' || range AS label FROM range(5000)"))
        {
            create.ExecuteNonQuery();
        }

        using var query = connection.CreateCommand("SELECT i, label FROM t WHERE i < $1 ORDER BY i");
        query.Parameters.Add(new DuckDBParameter(4500L));
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
        using var connection = new CheckedConnection();
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

    [Fact]
    public void OpenAndClose_ChangeTheState_AndRaiseStateChange()
    {
        using var connection = new CheckedConnection("Data Source=:memory:");
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
    public void Open_Twice_Throws()
    {
        using var connection = new CheckedConnection();
        connection.Open();

        Assert.Throws<InvalidOperationException>(connection.Open);
        Assert.Equal(":memory:", connection.DataSource);
    }

    [Fact]
    public void ClosedConnection_CanBeOpenedAgain()
    {
        using var connection = new CheckedConnection();
        connection.Open();
        connection.Close();
        connection.Open();

        using var command = connection.CreateCommand("SELECT 7");
        Assert.Equal(7, command.ExecuteScalar());
    }

    [Fact]
    public void ServerVersion_IsThePinnedDuckDbVersion()
    {
        using var connection = new CheckedConnection();
        Assert.StartsWith("v1.5.", connection.ServerVersion, StringComparison.Ordinal);
        connection.Open();
        using var command = connection.CreateCommand("SELECT version()");
        Assert.Equal(connection.ServerVersion, command.ExecuteScalar());
    }

    [Fact]
    public void PrivateInMemoryDatabases_AreSeparate_AndANamedOne_IsRefused_ForDuckDbNetWouldCreateAFileOfThatName()
    {
        using var first = Open("Data Source=:memory:");
        using var second = Open("Data Source=:memory:");

        Execute(first, "CREATE TABLE only_here (v INTEGER)");

        Assert.Throws<DuckDbEngineException>(() => Execute(second, "SELECT * FROM only_here"));
        var name = $":memory:shared-{Guid.NewGuid():N}";
        var error = Assert.Throws<ArgumentException>(() => Open($"Data Source={name}"));
        Assert.Contains("a file to share one between connections", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(name));
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
        var error = Assert.Throws<DuckDbEngineException>(() => Execute(connection, "INSERT INTO t VALUES (2)"));
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
    public void Settings_WriteDuckDbsOwnOptionNames_Sorted_AndReadThemBack()
    {
        var settings = new DuckDbSettings { DataSource = "a.duckdb", ReadOnly = true, MemoryLimit = "1GB", Threads = 4 };

        Assert.Equal("DataSource=a.duckdb;access_mode=READ_ONLY;memory_limit=1GB;threads=4", settings.ConnectionString);
        var parsed = DuckDbSettings.Parse(settings.ConnectionString);
        Assert.Equal("a.duckdb", parsed.DataSource);
        Assert.Equal(settings.ConnectionString, parsed.ConnectionString);
        Assert.True(new DuckDbSettings().IsPrivateInMemory);
    }

    public void Dispose() => _directory.Dispose();

    private static CheckedConnection Open(string connectionString)
    {
        var connection = new CheckedConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(CheckedConnection connection, string sql)
    {
        using var command = connection.CreateCommand(sql);
        command.ExecuteNonQuery();
    }
}
