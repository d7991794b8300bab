using System.Text.RegularExpressions;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// One open DuckDB database, shared by every connection of this process to the same file (DuckDB's model: one
/// instance per file per process, many connections, each used from its own thread). Closed, and the file's lock
/// released, when its last connection closes.
/// </summary>
internal sealed partial class DuckDbDatabase
{
    private static readonly Dictionary<string, DuckDbDatabase> Open = new(StringComparer.Ordinal);
    private static readonly Lock OpenLock = new();

    private readonly DuckDbDatabaseHandle _handle;
    private readonly string? _sharedKey;
    private readonly string _settings;
    private int _connections;

    private DuckDbDatabase(DuckDbDatabaseHandle handle, string? sharedKey, string settings)
    {
        _handle = handle;
        _sharedKey = sharedKey;
        _settings = settings;
    }

    /// <summary>Opens the database the options name, or joins the instance this process already has open.</summary>
    public static DuckDbDatabase Acquire(DuckDbConnectionStringBuilder options)
    {
        DuckDbNativeLibrary.EnsureLoaded();
        var config = options.ToDuckDbConfig();
        var settings = string.Join(";", config.Select(pair => $"{pair.Key}={pair.Value}"));
        var dataSource = options.DataSource;

        if (dataSource == DuckDbConnectionStringBuilder.InMemory)
        {
            // A private in-memory database has one connection: nothing can race to create its built-in entries.
            var database = new DuckDbDatabase(OpenNative(":memory:", config, dataSource), sharedKey: null, settings);
            database._connections = 1;
            return database;
        }

        var key = options.IsInMemory ? dataSource : Path.GetFullPath(dataSource);
        lock (OpenLock)
        {
            if (Open.TryGetValue(key, out var shared))
            {
                if (shared._settings != settings)
                {
                    throw new InvalidOperationException(
                        $"'{key}' is already open in this process with the settings [{shared._settings}], so a connection asking for [{settings}] cannot share it. Open every connection to one database with the same settings.");
                }

                shared._connections++;
                return shared;
            }

            // An in-memory name is ours alone; DuckDB itself only ever sees the private ":memory:".
            var path = options.IsInMemory ? ":memory:" : key;
            var database = new DuckDbDatabase(CreateBuiltInEntries(OpenNative(path, config, key)), key, settings) { _connections = 1 };
            Open.Add(key, database);
            return database;
        }
    }

    /// <summary>A new connection to this database; the caller owns it.</summary>
    public DuckDbConnectionHandle Connect()
    {
        if (NativeMethods.Startup.Connect(_handle, out var connection) != NativeMethods.State.Success)
        {
            connection.Dispose();
            throw new DuckDbException("DuckDB could not open a connection to the database: it may be closing or out of memory.",
                DuckDbErrorType.Connection);
        }

        return connection;
    }

    /// <summary>Gives back one connection's share; the last one closes the database.</summary>
    public void Release()
    {
        if (_sharedKey is null)
        {
            _handle.Dispose();
            return;
        }

        lock (OpenLock)
        {
            if (--_connections > 0)
            {
                return;
            }

            Open.Remove(_sharedKey);
            // Closed under the lock: a connection opening the file meanwhile would otherwise start a second instance
            // of it beside this closing one, and DuckDB's file lock does not stop its own process. Writes get lost.
            _handle.Dispose();
        }
    }

    /// <summary>
    /// DuckDB creates its built-in catalog entries (SQL macros such as <c>arg_max_null</c>, the system views) lazily,
    /// at their first use in each database. Two connections doing that at once have crashed the process (a general
    /// protection fault in <c>CatalogSet::CreateDefaultEntry</c>, seen under parallel pipeline steps on a new
    /// warehouse). Listing them once, here, before a second connection can exist, creates them all single-threaded.
    /// </summary>
    private static unsafe DuckDbDatabaseHandle CreateBuiltInEntries(DuckDbDatabaseHandle database)
    {
        if (NativeMethods.Startup.Connect(database, out var connection) != NativeMethods.State.Success)
        {
            // Nothing created; the caller's own connect reports the failure.
            connection.Dispose();
            return database;
        }

        using (connection)
        using (var result = new DuckDbResultHandle())
        {
            // A failure here (an out-of-memory database, say) leaves the entries to be created lazily, as before.
            _ = NativeMethods.Query.Run(
                connection,
                "SELECT (SELECT count(*) FROM duckdb_functions()) + (SELECT count(*) FROM duckdb_views()) + (SELECT count(*) FROM duckdb_schemas()) + (SELECT count(*) FROM duckdb_types())",
                result.Pointer);
        }

        return database;
    }

    private static DuckDbDatabaseHandle OpenNative(string path, SortedDictionary<string, string> config, string displayName)
    {
        if (!path.StartsWith(':') && Path.GetDirectoryName(path) is { Length: > 0 } directory && !Directory.Exists(directory))
        {
            throw new DuckDbException(
                $"Cannot open the database '{path}': the folder '{directory}' does not exist. Create it, or point the data source elsewhere.",
                DuckDbErrorType.IO);
        }

        if (NativeMethods.Startup.CreateConfig(out var configHandle) != NativeMethods.State.Success)
        {
            configHandle.Dispose();
            throw new DuckDbException("DuckDB could not allocate its configuration.", DuckDbErrorType.OutOfMemory);
        }

        using (configHandle)
        {
            foreach (var (name, value) in config)
            {
                if (NativeMethods.Startup.SetConfig(configHandle, name, value) != NativeMethods.State.Success)
                {
                    throw new DuckDbException(
                        $"DuckDB does not accept the option '{name}={value}' for '{displayName}'. Check the option's name and value in the connection string.",
                        DuckDbErrorType.InvalidConfiguration);
                }
            }

            if (NativeMethods.Startup.OpenExt(path, out var database, configHandle, out var error) == NativeMethods.State.Success)
            {
                return database;
            }

            database.Dispose();
            throw OpenFailed(displayName, error ?? "unknown error");
        }
    }

    private static DuckDbException OpenFailed(string path, string error)
    {
        if (!error.Contains("Could not set lock on file", StringComparison.Ordinal))
        {
            return new DuckDbException($"Cannot open the database '{path}': {error}", DuckDbErrorType.IO);
        }

        var holder = LockHolder().Match(error) is { Success: true } match ? match.Groups["holder"].Value : "another process";
        return new DuckDbException(
            $"The database file '{path}' is held by another process ({holder}). Only one process may open a DuckDB file for writing: "
            + $"stop that process, or wait for it to finish, and try again. DuckDB said: {error}",
            DuckDbErrorType.IO);
    }

    [GeneratedRegex(@"Conflicting lock is held in (?<holder>.+?\(PID \d+\))")]
    private static partial Regex LockHolder();
}
