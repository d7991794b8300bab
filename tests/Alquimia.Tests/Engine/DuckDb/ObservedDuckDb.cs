using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>
/// A fixture for tests about what gets committed: a named in-memory database private to one test (or a database file,
/// given its path), a connection that does the work, and an observer connection that sees only what was committed.
/// </summary>
internal sealed class ObservedDuckDb : IDisposable
{
    public ObservedDuckDb(string name, string? file = null)
    {
        var connectionString = file is null ? $"Data Source=:memory:{name}-{Guid.NewGuid():N}" : $"Data Source={file}";
        Connection = Open(connectionString);
        Observer = Open(connectionString);
    }

    public DuckDbConnection Connection { get; }

    public DuckDbConnection Observer { get; }

    public void Dispose()
    {
        Connection.Dispose();
        Observer.Dispose();
    }

    private static DuckDbConnection Open(string connectionString)
    {
        var connection = new DuckDbConnection(connectionString);
        connection.Open();
        return connection;
    }
}
