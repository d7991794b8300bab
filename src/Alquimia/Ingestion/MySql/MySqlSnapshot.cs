using System.Globalization;
using Alquimia.Projects;
using MySqlConnector;

namespace Alquimia.Ingestion.MySql;

/// <summary>
/// A run's hold on a MySQL source: <c>parallel</c> connections, each in a transaction opened
/// <c>WITH CONSISTENT SNAPSHOT</c>, which the run's tables borrow one at a time; so at most that many tables are read
/// at once, and every table is read whole from one instant. MySQL cannot hand one snapshot to another connection
/// (PostgreSQL's exported snapshot): for every connection to see the same instant, they open their snapshots while a
/// brief <c>FLUSH TABLES WITH READ LOCK</c> holds writes back (<see cref="MySqlSnapshotMode.Locked"/>; the RELOAD
/// privilege). Without it, each connection's snapshot is a few milliseconds after the one before, and the steps say so.
/// With <c>parallel: 1</c> every table is read from the one snapshot, with no lock.
/// </summary>
internal sealed class MySqlSnapshot : ISyncSession
{
    /// <summary>How long the global read lock waits for running statements before giving up: it holds writes back while it waits.</summary>
    private const int LockWaitSeconds = 5;

    private readonly SourceDefinition _source;
    private readonly SemaphoreSlim _free;
    private readonly Stack<MySqlConnection?> _connections;
    private readonly string? _unlockedWarning;

    private MySqlSnapshot(SourceDefinition source, string connectionString, List<MySqlConnection> connections, string? unlockedWarning)
    {
        _source = source;
        ConnectionString = connectionString;
        _connections = new Stack<MySqlConnection?>(connections);
        _free = new SemaphoreSlim(connections.Count, connections.Count);
        _unlockedWarning = unlockedWarning;
    }

    /// <summary>The source's resolved connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Opens the source's connections and their snapshots.</summary>
    public static MySqlSnapshot Take(SourceDefinition source, CancellationToken cancellationToken)
    {
        var options = MySqlOptions.Of(source);
        var connectionString = MySqlConnectionString.Resolve(source.Name, options);
        var connections = new List<MySqlConnection>();
        try
        {
            string? warning = null;
            using (var locker = options.Parallel > 1 && options.Snapshot != MySqlSnapshotMode.Unlocked ? MySqlSource.Open(source, connectionString, cancellationToken) : null)
            {
                var locked = locker is not null && Lock(source, connectionString, locker, options.Snapshot, out warning);
                for (var i = 0; i < options.Parallel; i++)
                {
                    connections.Add(OpenSnapshot(source, connectionString, cancellationToken));
                }

                if (locked)
                {
                    MySqlSource.Execute(locker!, "UNLOCK TABLES");
                }
            }

            return new MySqlSnapshot(source, connectionString, connections, warning);
        }
        catch (Exception)
        {
            connections.ForEach(connection => connection.Dispose());
            throw;
        }
    }

    public Extraction Extract(ExtractionRequest request, CancellationToken cancellationToken)
    {
        _free.Wait(cancellationToken);
        MySqlConnection? connection;
        lock (_connections)
        {
            connection = _connections.Pop();
        }

        var warnings = new List<string>();
        if (_unlockedWarning is not null)
        {
            warnings.Add($"{request.Table.Name}: {_unlockedWarning}");
        }

        try
        {
            if (connection is null)
            {
                // The connection this slot had was lost (a killed connection, a timeout): the table is read from a new
                // snapshot, later than its sibling tables'.
                connection = OpenSnapshot(_source, ConnectionString, cancellationToken);
                warnings.Add($"{request.Table.Name}: read from a snapshot taken after the run's first one, as the connection that held it was lost: "
                    + "it may hold changes its sibling tables do not");
            }

            var extraction = MySqlExtractor.Extract(request, this, connection, cancellationToken);
            return extraction with { Warnings = [.. warnings, .. extraction.Warnings] };
        }
        finally
        {
            if (connection is { State: not System.Data.ConnectionState.Open })
            {
                connection.Dispose();
                connection = null;
            }

            lock (_connections)
            {
                _connections.Push(connection);
            }

            _free.Release();
        }
    }

    public void Dispose()
    {
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection?.Dispose();
            }

            _connections.Clear();
        }

        _free.Dispose();
    }

    /// <summary>
    /// Takes the global read lock on <paramref name="locker"/>: true when held. Under <see cref="MySqlSnapshotMode.Auto"/>
    /// a server that refuses it (no RELOAD privilege, a managed server, a statement running past the wait) leaves the
    /// snapshots unlocked, with <paramref name="warning"/> saying so.
    /// </summary>
    private static bool Lock(SourceDefinition source, string connectionString, MySqlConnection locker, MySqlSnapshotMode mode, out string? warning)
    {
        warning = null;
        try
        {
            MySqlSource.Execute(locker, string.Create(CultureInfo.InvariantCulture, $"SET SESSION lock_wait_timeout = {LockWaitSeconds}"));
            MySqlSource.Execute(locker, "FLUSH TABLES WITH READ LOCK");
            return true;
        }
        catch (MySqlException error) when (mode == MySqlSnapshotMode.Auto)
        {
            warning = $"the source's {MySqlOptions.Of(source).Parallel} connections opened their snapshots one after the other, milliseconds apart, as the server "
                + $"refused FLUSH TABLES WITH READ LOCK ({error.Number}: {error.Message.ReplaceLineEndings(" ")}): tables read on different connections may differ by "
                + "what committed in between. Grant the user RELOAD for one instant, set parallel: 1 to read every table from one snapshot, or snapshot: unlocked to accept it";
            return false;
        }
        catch (MySqlException error)
        {
            throw new AlquimiaException(
                $"Source '{source.Name}' ({MySqlConnectionString.Describe(connectionString)}): snapshot: locked needs FLUSH TABLES WITH READ LOCK, which the server refused "
                + $"({error.Number}: {error.Message.ReplaceLineEndings(" ")}). Grant the user RELOAD, or set snapshot: auto or unlocked.",
                error);
        }
    }

    /// <summary>A connection in a read-only, repeatable-read transaction whose snapshot is taken now.</summary>
    private static MySqlConnection OpenSnapshot(SourceDefinition source, string connectionString, CancellationToken cancellationToken)
    {
        var connection = MySqlSource.Open(source, connectionString, cancellationToken);
        try
        {
            MySqlSource.Execute(connection, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            MySqlSource.Execute(connection, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            return connection;
        }
        catch (MySqlException error)
        {
            connection.Dispose();
            throw MySqlSource.Failed(source, connectionString, error);
        }
    }
}
