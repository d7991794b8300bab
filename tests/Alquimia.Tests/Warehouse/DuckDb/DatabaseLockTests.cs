using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// Only one process may open a DuckDB file: while this process holds a warehouse, the CLI, in another process,
/// refuses it with a message naming the file and the holder; once released, the CLI opens it.
/// </summary>
public sealed class DatabaseLockTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Cli_OnAWarehouseThisProcessHolds_ExitsNonZero_NamingTheFileAndTheHolder()
    {
        var path = _directory.File("held.duckdb");
        using var holder = new CheckedConnection($"Data Source={path}");
        holder.Open();

        var result = await CliProcess.RunSetupAsync(path);

        Assert.NotEqual(0, result.ExitCode);
        var line = result.SingleErrorLine();
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", line, StringComparison.Ordinal);
        Assert.Contains("held by another process", line, StringComparison.Ordinal);
        Assert.Contains($"PID {Environment.ProcessId}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_OnAWarehouseThisProcessReleased_OpensItAndSeesItsTables()
    {
        var path = _directory.File("released.duckdb");
        using (var writer = new CheckedConnection($"Data Source={path}"))
        {
            writer.Open();
            using var create = writer.CreateCommand("CREATE SCHEMA bronze; CREATE TABLE bronze.chamados (id INTEGER)");
            create.ExecuteNonQuery();
        }

        var result = await CliProcess.RunSetupAsync(path);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"bronze\s+1\s+0", result.Output);
    }

    [Fact]
    public async Task Cli_OnAWarehouseThisProcessClosed_WithACommandLeftUndisposed_OpensIt()
    {
        var path = _directory.File("leaky.duckdb");
        var connection = new CheckedConnection($"Data Source={path}");
        connection.Open();
        var leaked = connection.CreateCommand("CREATE SCHEMA silver; CREATE TABLE silver.tb_chamado (id INTEGER)");
        leaked.ExecuteNonQuery();
        connection.Close();

        var result = await CliProcess.RunSetupAsync(path);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"silver\s+1\s+0", result.Output);
        leaked.Dispose();
        connection.Dispose();
    }

    [Fact]
    public async Task AWarehouseAnotherProcessHolds_IsRefusedWithATypedError_CarryingThatProcessesId()
    {
        // A run whose model takes minutes holds the warehouse in another process.
        File.WriteAllText(_directory.File("alquimia.yml"), "name: held\nwarehouse: held.duckdb\n");
        Directory.CreateDirectory(_directory.File("models/gold"));
        File.WriteAllText(_directory.File("models/gold/ft_lento.sql"), "SELECT count(*) AS n FROM range(100000000000)");
        using var holder = CliProcess.Start(["run", "-p", _directory.Path]);
        try
        {
            var path = _directory.File("held.duckdb");
            var error = await HeldError(path, holder);

            Assert.Equal(holder.Id, error.ProcessId);
            Assert.Equal(path, error.Path);
            Assert.Contains($"'{path}' is held by another process", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The error of opening the file, once the other process holds it.</summary>
    private static async Task<DatabaseHeldException> HeldError(string path, System.Diagnostics.Process holder)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(1) && !holder.HasExited)
        {
            if (File.Exists(path))
            {
                try
                {
                    using var connection = new CheckedConnection($"Data Source={path}");
                    connection.Open();
                }
                catch (DatabaseHeldException held)
                {
                    return held;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The CLI did not hold '{path}' within a minute (exited: {holder.HasExited}).");
    }
}
