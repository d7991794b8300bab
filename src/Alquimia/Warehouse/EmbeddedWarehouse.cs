using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>
/// The embedded DuckDB warehouse, one object per warehouse file per process (as Npgsql's data source is per database):
/// it opens the connections, holds the one-writer-at-a-time rule as a queue, and tells when a step commits. Only one
/// process may write the file; opening it while another process holds it fails naming that process. A warehouse
/// opened read-only takes no writer and shares the file with other readers.
/// </summary>
public sealed class EmbeddedWarehouse : IDisposable
{
    private static readonly HashSet<string> OpenInThisProcess = new(StringComparer.Ordinal);

    private readonly WriterQueue _writers;

    private EmbeddedWarehouse(string path, bool readOnly, CheckedConnection connection)
    {
        Path = path;
        IsReadOnly = readOnly;
        Connection = connection;
        _writers = new WriterQueue(path);
    }

    /// <summary>Who writes the warehouse through this object now (<c>run 20261206T… (host (PID n))</c>), if anyone.</summary>
    public string? Writer => _writers.Holder;

    /// <summary>Raised, on the committing thread, after a step of a run committed new data into a relation.</summary>
    public event EventHandler<StepCommitted>? StepCommitted;

    /// <summary>The warehouse file.</summary>
    public string Path { get; }

    /// <summary>True when opened for reading only: no run may write it through this object.</summary>
    public bool IsReadOnly { get; }

    /// <summary>
    /// The connection string of the warehouse's connections: every further connection to it in this process must use
    /// it, as one DuckDB instance has one set of settings.
    /// </summary>
    public string ConnectionString => Connection.ConnectionString;

    /// <summary>The connection the warehouse was opened with; more can be opened with <see cref="OpenConnection"/>.</summary>
    public CheckedConnection Connection { get; }

    /// <summary>The DuckDB version behind the warehouse, e.g. <c>v1.5.6</c>.</summary>
    public string EngineVersion => Connection.ServerVersion;

    /// <summary>Opens another connection to the warehouse, with its settings; read-only when the warehouse is.</summary>
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

    /// <summary>
    /// Runs <paramref name="read"/> on a connection of its own inside a read-only transaction: it sees one consistent
    /// snapshot, committed steps only, and any write it tries is refused. Many reads may run at once, beside a run.
    /// </summary>
    public T Read<T>(Func<CheckedConnection, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var connection = OpenConnection();
        using var transaction = connection.BeginReadOnlyTransaction();
        return read(connection);
    }

    /// <summary>
    /// Opens the warehouse file, creating it (and its folder) when missing, in the storage format
    /// <paramref name="storageVersion"/> (<see cref="WarehouseStorage"/>); a file that exists keeps its own.
    /// Read-only, the file must exist, and nothing is created.
    /// </summary>
    /// <exception cref="WarehouseBusyException">Another process holds the file.</exception>
    /// <exception cref="InvalidOperationException">This process already has the warehouse open: use that object.</exception>
    public static EmbeddedWarehouse Open(
        string path, int? threads = null, string? memoryLimit = null, string storageVersion = WarehouseStorage.DefaultVersion, bool readOnly = false)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (readOnly && !File.Exists(fullPath))
        {
            throw new AlquimiaException($"The warehouse '{fullPath}' does not exist yet. Run `alquimia setup` or `alquimia run` first.");
        }

        lock (OpenInThisProcess)
        {
            if (!OpenInThisProcess.Add(fullPath))
            {
                throw new InvalidOperationException(
                    $"The warehouse '{fullPath}' is already open in this process. One EmbeddedWarehouse owns a warehouse per process: pass that one along instead of opening it again.");
            }
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connection = new CheckedConnection(ConnectionStringFor(fullPath, threads, memoryLimit, storageVersion, readOnly));
        try
        {
            connection.Open();
        }
        catch (DatabaseHeldException held)
        {
            connection.Dispose();
            Forget(fullPath);
            throw new WarehouseBusyException(held.Message, held);
        }
        catch
        {
            connection.Dispose();
            Forget(fullPath);
            throw;
        }

        return new EmbeddedWarehouse(fullPath, readOnly, connection);
    }

    /// <summary>Opens the project's warehouse with the project's DuckDB settings (see the other overload).</summary>
    public static EmbeddedWarehouse Open(Project project, bool readOnly = false) =>
        Open(project.WarehousePath, project.Settings.Threads, project.Settings.MemoryLimit, project.Settings.StorageVersion, readOnly);

    /// <summary>The connection string of a warehouse file opened with these settings, as <see cref="Open(string, int?, string?, string, bool)"/> opens it.</summary>
    public static string ConnectionStringFor(
        string path, int? threads = null, string? memoryLimit = null, string storageVersion = WarehouseStorage.DefaultVersion, bool readOnly = false)
    {
        var settings = new DuckDbSettings
        {
            DataSource = path, Threads = threads, MemoryLimit = memoryLimit, ReadOnly = readOnly,
            Options = new Dictionary<string, string> { [WarehouseStorage.Option] = storageVersion },
        };
        return settings.ConnectionString;
    }

    /// <summary>
    /// Waits for the warehouse's one writer's turn (or, with <see cref="WhenBusy.Refuse"/>, gives up when another run
    /// holds it). The turn lasts until the returned object is disposed.
    /// </summary>
    /// <param name="holder">Who asks, as a busy error should name it: <c>run 20261206T… (host, PID n)</c>.</param>
    /// <exception cref="WarehouseBusyException">Refused: another run writes the warehouse.</exception>
    public Task<IDisposable> EnterWriterAsync(string holder, WhenBusy whenBusy = WhenBusy.Wait, CancellationToken cancellationToken = default)
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"The warehouse '{Path}' was opened read-only: open it read-write to run models or record results.");
        }

        return _writers.EnterAsync(holder, whenBusy, cancellationToken);
    }

    /// <summary>Tells the listeners of <see cref="StepCommitted"/> that a step committed into <paramref name="relation"/>.</summary>
    internal void NotifyCommitted(QualifiedName relation, string runId) => StepCommitted?.Invoke(this, new StepCommitted(relation, runId));

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

    public void Dispose()
    {
        Connection.Dispose();
        _writers.Dispose();
        Forget(Path);
    }

    private static void Forget(string path)
    {
        lock (OpenInThisProcess)
        {
            OpenInThisProcess.Remove(path);
        }
    }
}

/// <summary>A layer and what it holds.</summary>
public sealed record LayerSummary(Layer Layer, long Tables, long Views);
