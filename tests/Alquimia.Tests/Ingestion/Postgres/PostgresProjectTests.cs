using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>
/// A test class against the test server: a project folder of its own and a database of its own on the server,
/// which the class's sources read. The folder goes with the class; the server's databases go with the server.
/// </summary>
public abstract class PostgresProjectTests : IDisposable
{
    private protected PostgresProjectTests(PostgresServer server, string projectFile)
    {
        Server = server;
        Database = server.CreateDatabase();
        Folder.Write("alquimia.yml", projectFile);
    }

    protected PostgresServer Server { get; }

    /// <summary>The Npgsql connection string of the class's database.</summary>
    protected string Database { get; }

    private protected ProjectFolder Folder { get; } = new(withProjectFile: false);

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The rows of a query on the project's warehouse, each as text.</summary>
    protected List<string> Query(string sql) => WarehouseRows.Of(Folder.Load().WarehousePath, sql);
}
