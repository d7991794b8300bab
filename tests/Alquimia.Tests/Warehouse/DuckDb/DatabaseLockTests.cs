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

    public void Dispose() => _directory.Dispose();
}
