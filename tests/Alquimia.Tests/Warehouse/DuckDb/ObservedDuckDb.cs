using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// A fixture for tests about what gets committed: a database file private to one test (or the file given), a
/// connection that does the work, and an observer connection that sees only what was committed.
/// </summary>
internal sealed class ObservedDuckDb : IDisposable
{
    private readonly TempDirectory? _directory;

    public ObservedDuckDb(string name, string? file = null)
    {
        if (file is null)
        {
            _directory = new TempDirectory();
            file = Path.Combine(_directory.Path, $"{name}.duckdb");
        }

        var connectionString = $"Data Source={file}";
        Connection = Open(connectionString);
        Observer = Open(connectionString);
    }

    public CheckedConnection Connection { get; }

    public CheckedConnection Observer { get; }

    public void Dispose()
    {
        Connection.Dispose();
        Observer.Dispose();
        _directory?.Dispose();
    }

    private static CheckedConnection Open(string connectionString)
    {
        var connection = new CheckedConnection(connectionString);
        connection.Open();
        return connection;
    }
}
