using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Scheduling;

/// <summary>
/// <c>alquimia serve</c> as its own process, killed with SIGKILL in the middle of a job's run, then started again: the
/// dead run is marked interrupted, the schedule goes on, and no slot is run twice.
/// </summary>
public sealed class ServerCrashTests : IDisposable
{
    private const string Token = "crash-test-token";

    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public ServerCrashTests()
    {
        _folder
            .Write("alquimia.yml", """
                name: crm
                jobs:
                  - name: lento
                    select: gold.lento
                    schedule: "*/2 * * * * ?"
                """)
            // Seconds of work on two cores: long enough to be killed in the middle.
            .Write("models/gold/lento.sql", "SELECT sum(a.range * b.range) AS s FROM range(40000) a, range(40000) b\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AServerKilledDuringARun_MarksItInterruptedOnRestart_AndRunsNoSlotTwice()
    {
        var port = TestServer.FreePort();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        string killed;
        using (var first = Serve(port))
        {
            killed = await WaitFor(client, runs => runs.EnumerateArray().FirstOrDefault(run => run.GetProperty("status").GetString() == "running") is { ValueKind: JsonValueKind.Object } run
                ? run.GetProperty("run_id").GetString()
                : null);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        using (var second = Serve(port))
        {
            await WaitFor(client, runs => runs.EnumerateArray().Any(run => run.GetProperty("status").GetString() == "succeeded") ? "done" : null);
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        var warehouse = _folder.Load().WarehousePath;
        Assert.Equal(["interrupted"], WarehouseRows.Of(warehouse, $"SELECT status FROM _alquimia.runs WHERE run_id = '{killed}'"));
        Assert.Equal(["1"], WarehouseRows.Of(warehouse, $"SELECT count(*) FROM _alquimia.job_slots WHERE slot_at = (SELECT slot_at FROM _alquimia.job_slots WHERE run_id = '{killed}')"));
        Assert.Equal(
            WarehouseRows.Of(warehouse, "SELECT count(DISTINCT slot_at) FROM _alquimia.job_slots"),
            WarehouseRows.Of(warehouse, "SELECT count(*) FROM _alquimia.job_slots"));
    }

    private Process Serve(int port)
    {
        var process = CliProcess.Start(
            ["serve", "--project", _folder.Path, "--urls", $"http://127.0.0.1:{port}"], environment: new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token });
        // Drained, so that its log never fills the pipe and blocks it.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>Polls /api/runs until <paramref name="found"/> gives a value, for at most a minute: the server starts and runs on its own clock.</summary>
    private static async Task<string> WaitFor(HttpClient client, Func<JsonElement, string?> found)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("/api/runs");
                if (response.IsSuccessStatusCode && found(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement) is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server never reached the expected state.");
    }
}
