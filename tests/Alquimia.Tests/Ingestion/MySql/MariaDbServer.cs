using System.Diagnostics;
using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;
using MySqlConnector;

namespace Alquimia.Tests.Ingestion.MySql;

/// <summary>
/// A real MariaDB server for the tests, started once per test run by the project's own script (scripts/mariadb.sh,
/// which installs MariaDB from Debian's packages when missing) and stopped at the end. Each test class takes a
/// database of its own.
/// </summary>
public sealed class MariaDbServer : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"alquimia-mariadb-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private int _databases;

    public MariaDbServer()
    {
        try
        {
            ConnectionString = Script("start").Trim().Split('\n')[^1];
        }
        catch (InvalidOperationException error)
        {
            throw new InvalidOperationException($"The MySQL tests need MariaDB: run 'scripts/mariadb.sh install' (as root, or 'sudo apt-get install -y mariadb-server'). {error.Message}", error);
        }
    }

    /// <summary>The server's connection string, as the user "alquimia", who may do everything.</summary>
    public string ConnectionString { get; }

    /// <summary>A new, empty database (utf8mb4); its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        Execute(ConnectionString, $"CREATE DATABASE {name} CHARACTER SET utf8mb4");
        return new MySqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    /// <summary>Runs SQL (several statements allowed) on the database the connection string names.</summary>
    public static void Execute(string connectionString, string sql)
    {
        using var connection = new MySqlConnection(connectionString);
        connection.Open();
        using var command = new MySqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, as text: MariaDB's own words for a value.</summary>
    public static List<string> Query(string connectionString, string sql)
    {
        using var connection = new MySqlConnection(connectionString);
        connection.Open();
        using var command = new MySqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    public void Dispose() => Script("stop");

    private string Script(string command)
    {
        var script = RepoRoot.File("scripts/mariadb.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, command, _folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/mariadb.sh {command} exited with {process.ExitCode}:\n{output}\n{error.Result}");
        }

        return output;
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbTests : ICollectionFixture<MariaDbServer>
{
    public const string Name = "mariadb";
}

/// <summary>
/// A test class against the test server: a project folder of its own and a database of its own, which its source
/// <c>vendas</c> reads.
/// </summary>
public abstract class MariaDbProjectTests : IDisposable
{
    private protected MariaDbProjectTests(MariaDbServer server, string projectFile)
    {
        Server = server;
        Database = server.CreateDatabase();
        Folder.Write("alquimia.yml", projectFile);
    }

    protected MariaDbServer Server { get; }

    /// <summary>The connection string of the class's database.</summary>
    protected string Database { get; }

    private protected Projects.ProjectFolder Folder { get; } = new(withProjectFile: false);

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The rows of a query on the project's warehouse, each as text.</summary>
    protected List<string> Query(string sql) => Orchestration.WarehouseRows.Of(Folder.Load().WarehousePath, sql);

    /// <summary>The source file of <c>vendas</c>: its tables (each "  - name: …" entry), and any more keys of the source.</summary>
    private protected void WriteSource(string tables, string keys = "") =>
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: mysql\nconnection: \"{Database}\"\n{keys}tables:\n{tables}");

    private protected static string Tables(params string[] names) => string.Concat(names.Select(name => $"  - name: {name}\n"));

    private protected async Task<Dictionary<string, ModelRunRecord>> Sync() =>
        (await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" })).Steps.ToDictionary(step => step.Model["bronze.".Length..]);
}
