using System.Diagnostics;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Orchestration;

namespace Alquimia.Tests.Cli;

/// <summary>Ctrl-C as a user presses it: SIGINT to a running <c>alquimia run</c>.</summary>
public sealed class CtrlCTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task CtrlC_DuringARun_InterruptsTheRunningModel_RecordsTheRunCancelled_AndExits130()
    {
        var project = _directory.File("loja");
        await CliProcess.RunAsync(["init", project]);
        File.WriteAllText(Path.Combine(project, "models", "gold", "ft_lento.sql"), "SELECT count(*) AS n FROM range(100000000000) a, silver.tb_pedido");
        using var process = CliProcess.Start(["run", "--project", project]);
        var error = process.StandardError.ReadToEndAsync();
        var output = new List<string>();
        // The slow model starts once silver is built: wait for that line, then give its query a moment to get going.
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)) is { } line)
        {
            output.Add(line);
            if (line.Contains("silver.tb_pedido", StringComparison.Ordinal))
            {
                break;
            }
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        var rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{string.Join("\n", output)}\n{rest}\n{await error}");
        Assert.Matches(@"gold\.ft_lento\s+.*cancelled", rest);
        Assert.Contains("cancelled", WarehouseRows.Of(Path.Combine(project, "warehouse.duckdb"), "SELECT status FROM _alquimia.runs")[0], StringComparison.Ordinal);
        Assert.Empty(WarehouseRows.Of(Path.Combine(project, "warehouse.duckdb"), "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'ft_lento%'"));
    }
}
