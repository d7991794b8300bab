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
    private readonly Lock _hbaLock = new();
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

    /// <summary>
    /// A login role that must give its password (scram-sha-256), where "alquimia" is trusted: for the errors of a wrong
    /// password. Returns once the server asks it for the password.
    /// </summary>
    public void CreatePasswordRole(string role, string password)
    {
        lock (_hbaLock)
        {
            var hba = Path.Combine(_folder, "data", "pg_hba.conf");
            var rule = $"host all {role} 127.0.0.1/32 scram-sha-256\n";
            if (File.ReadAllText(hba).StartsWith(rule, StringComparison.Ordinal))
            {
                return;
            }

            Execute(ConnectionString, $"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
            File.WriteAllText(hba, rule + File.ReadAllText(hba));
            Execute(ConnectionString, "SELECT pg_reload_conf()");
            var wrong = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = role, Password = password + "?", Pooling = false }.ConnectionString;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    using var connection = new NpgsqlConnection(wrong);
                    connection.Open();
                }
                catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InvalidPassword)
                {
                    return;
                }

                Thread.Sleep(50);
            }

            throw new InvalidOperationException($"The server did not start asking {role} for a password.");
        }
    }

    /// <summary>Stops the server as a crash would (no shutdown checkpoint) and starts it again on the same port.</summary>
    public void Restart()
    {
        NpgsqlConnection.ClearAllPools();
        Script("restart");
    }

    /// <summary>Runs SQL on the database the connection string names.</summary>
    public static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, as text: PostgreSQL's own words for a value.</summary>
    public static List<string> Query(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Script("stop");
    }

    private string Script(string command)
    {
        var script = RepoRoot.File("scripts/postgres.sh");
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
}

/// <summary>The tests on the PostgreSQL server, one at a time; those landing in S3 also take the S3 server, started only when one asks for it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>, ICollectionFixture<Landing.Storage.S3Server>
{
    public const string Name = "postgres";
}
