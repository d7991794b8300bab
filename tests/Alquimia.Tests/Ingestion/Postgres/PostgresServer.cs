using System.Diagnostics;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>
/// A real PostgreSQL server for the tests, started once per test run by the project's own script
/// (scripts/postgres.sh, which installs PostgreSQL from Debian's packages when missing) and stopped at the end.
/// Each test class takes a database of its own.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"alquimia-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private int _databases;

    public PostgresServer()
    {
        ConnectionString = Script("start").Trim().Split('\n')[^1];
    }

    /// <summary>The server's connection string, to its "postgres" database.</summary>
    public string ConnectionString { get; }

    /// <summary>A new, empty database; its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        Execute(ConnectionString, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    /// <summary>Runs SQL on the database the connection string names.</summary>
    public static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Script("stop");
    }

    private string Script(string command)
    {
        var script = FindScript();
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
            throw new InvalidOperationException($"scripts/postgres.sh {command} exited with {process.ExitCode}:\n{output}\n{error.Result}");
        }

        return output;
    }

    private static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "scripts", "postgres.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException($"scripts/postgres.sh was not found above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
