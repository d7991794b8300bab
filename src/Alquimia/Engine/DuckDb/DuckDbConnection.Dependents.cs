using System.Runtime.ExceptionServices;

namespace Alquimia.Engine.DuckDb;

public sealed partial class DuckDbConnection
{
    /// <summary>
    /// The prepared statements, readers and appenders made on this connection and not yet disposed. Each holds
    /// DuckDB's connection, and through it the database, alive past <c>duckdb_disconnect</c>: left behind, they keep
    /// a closed file database open, and the next connection to the file would open it a second time beside it.
    /// </summary>
    private readonly HashSet<IDisposable> _dependents = [];

    internal void AddDependent(IDisposable dependent)
    {
        lock (_dependents)
        {
            _dependents.Add(dependent);
        }
    }

    internal void RemoveDependent(IDisposable dependent)
    {
        lock (_dependents)
        {
            _dependents.Remove(dependent);
        }
    }

    /// <summary>
    /// Disposes every dependent: readers close, appenders write their rows and close, statements are destroyed.
    /// Returns the first failure (an appender's rows may break a constraint), for Close to raise once it has closed.
    /// </summary>
    private ExceptionDispatchInfo? ReleaseDependents()
    {
        IDisposable[] dependents;
        lock (_dependents)
        {
            dependents = [.. _dependents];
            _dependents.Clear();
        }

        ExceptionDispatchInfo? failure = null;
        foreach (var dependent in dependents)
        {
            try
            {
                dependent.Dispose();
            }
            catch (Exception error)
            {
                failure ??= ExceptionDispatchInfo.Capture(error);
            }
        }

        return failure;
    }
}
