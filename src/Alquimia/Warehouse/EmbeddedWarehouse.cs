using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>
/// The embedded DuckDB warehouse: one file holding every layer's schema and Alquimia's state. Only one process
/// may write it; opening it while another process holds it fails with a message naming that process.
/// </summary>
public sealed class EmbeddedWarehouse : IDisposable
{
    private EmbeddedWarehouse(string path, CheckedConnection connection)
    {
        Path = path;
        Connection = connection;
    }

    /// <summary>The warehouse file.</summary>
    public string Path { get; }

    /// <summary>
    /// The connection string of the warehouse's connections: every further connection to it in this process must use
    /// it, as one DuckDB instance has one set of settings.
    /// </summary>
    public string ConnectionString => Connection.ConnectionString;

    /// <summary>Opens another connection to the warehouse, with its settings.</summary>
    public CheckedConnection OpenConnection()
    {
        var connection = new CheckedConnection(ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The connection the warehouse was opened with; more can be opened on the same file in this process.</summary>
    public CheckedConnection Connection { get; }

    /// <summary>The DuckDB version behind the warehouse, e.g. <c>v1.5.6</c>.</summary>
    public string EngineVersion => Connection.ServerVersion;

    /// <summary>
    /// Opens the warehouse file, creating it (and its folder) when missing, in the storage format
    /// <paramref name="storageVersion"/> (<see cref="WarehouseStorage"/>); a file that exists keeps its own.
    /// </summary>
    public static EmbeddedWarehouse Open(string path, int? threads = null, string? memoryLimit = null, string storageVersion = WarehouseStorage.DefaultVersion)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connection = new CheckedConnection(ConnectionStringFor(fullPath, threads, memoryLimit, storageVersion));
        try
        {
            connection.Open();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new EmbeddedWarehouse(fullPath, connection);
    }

    /// <summary>The connection string of a warehouse file opened with these settings, as <see cref="Open"/> opens it.</summary>
    public static string ConnectionStringFor(string path, int? threads = null, string? memoryLimit = null, string storageVersion = WarehouseStorage.DefaultVersion)
    {
        var settings = new DuckDbSettings
        {
            DataSource = path, Threads = threads, MemoryLimit = memoryLimit,
            Options = new Dictionary<string, string> { [WarehouseStorage.Option] = storageVersion },
        };
        return settings.ConnectionString;
    }

    /// <summary>Creates the layer schemas and the state schema when missing; changes nothing that exists.</summary>
    public void EnsureLayers()
    {
        var schemas = Layer.All.Select(layer => layer.Schema).Append(Layer.StateSchema);
        using var transaction = Connection.BeginTransaction();
        foreach (var schema in schemas)
        {
            using var command = Connection.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {schema}");
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Each layer with the number of tables and views it holds.</summary>
    public IReadOnlyList<LayerSummary> DescribeLayers()
    {
        using var command = Connection.CreateCommand(
            """
            SELECT s.schema_name,
                   (SELECT count(*) FROM duckdb_tables() t WHERE t.schema_name = s.schema_name AND t.database_name = current_database()),
                   (SELECT count(*) FROM duckdb_views() v WHERE v.schema_name = s.schema_name AND v.database_name = current_database() AND NOT v.internal)
            FROM duckdb_schemas() s
            WHERE s.database_name = current_database()
            """);
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, (long Tables, long Views)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        return Layer.All
            .Where(layer => counts.ContainsKey(layer.Schema))
            .Select(layer => new LayerSummary(layer, counts[layer.Schema].Tables, counts[layer.Schema].Views))
            .ToList();
    }

    public void Dispose() => Connection.Dispose();
}

/// <summary>A layer and what it holds.</summary>
public sealed record LayerSummary(Layer Layer, long Tables, long Views);
