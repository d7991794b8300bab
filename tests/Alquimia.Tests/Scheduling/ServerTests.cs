using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Alquimia.Server;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alquimia.Tests.Scheduling;

/// <summary>
/// <c>alquimia serve</c> in the test's process, over real HTTP on 127.0.0.1: the token, a run asked for over the API,
/// and a job's slot run when the (fake) clock reaches it, recorded once.
/// </summary>
public sealed class ServerTests : IAsyncDisposable
{
    private const string Token = TestServer.Token;

    private readonly ProjectFolder _folder = new(withProjectFile: false);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 8, 59, 0, TimeSpan.Zero));
    private TestServer? _server;

    public ServerTests()
    {
        _folder.WriteCrmJob();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task EveryEndpointButHealthz_NeedsTheToken()
    {
        var client = await Start();
        client.DefaultRequestHeaders.Authorization = null;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/runs")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public void WithoutAToken_TheServerDoesNotStart_AndSaysWhatToSet()
    {
        var error = Assert.Throws<AlquimiaException>(() => AlquimiaServer.Build(_folder.Load(), new ServerOptions("http://127.0.0.1:0", "")));

        Assert.Contains("set ALQUIMIA_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunAskedForOverTheApi_Runs_AndIsListed()
    {
        var client = await Start();

        var accepted = await client.PostAsync("/api/runs?select=gold.crm_metrics_daily&run_date=2026-12-01", null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runs = await _server!.WaitFor("/api/runs", json => json.GetArrayLength() == 1 && json[0].GetProperty("status").GetString() == "succeeded");
        Assert.Equal("2026-12-01", runs[0].GetProperty("run_date").GetString());
    }

    [Fact]
    public async Task AJobsSlot_RunsWhenTheClockReachesIt_Once_WithItsRunDate()
    {
        var client = await Start();
        await _server!.WaitUntilReady();

        // 06:00 in São Paulo is 09:00 UTC.
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

        var runs = await _server!.WaitFor("/api/runs", json => json.GetArrayLength() == 1 && json[0].GetProperty("status").GetString() == "succeeded");
        Assert.Equal("2026-12-07", runs[0].GetProperty("run_date").GetString());
        Assert.Equal("gold.crm_metrics_daily", runs[0].GetProperty("selector").GetString());
        var jobs = await _server!.Json("/api/jobs");
        Assert.Equal("2026-12-08T06:00:00-03:00", jobs[0].GetProperty("next_slot").GetString());
        await _server!.StopAsync();
        Assert.Equal(["diario|2026-12-07"], WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT job || '|' || run_date FROM _alquimia.job_slots"));
    }

    [Fact]
    public async Task AlquimiaRunFromAnotherProcess_JoinsTheServersQueue_InsteadOfFailingOnItsLock()
    {
        var client = await Start();
        Assert.True(File.Exists(ServerFile.PathOf(_folder.Load())));

        var run = await CliProcess.RunAsync(
            ["run", "--project", _folder.Path, "--select", "gold.crm_metrics_daily", "--run-date", "2026-12-02"], environment: new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token });
        var withoutToken = await CliProcess.RunAsync(
            ["run", "--project", _folder.Path], environment: new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = "" });
        var fullRefresh = await CliProcess.RunAsync(
            ["run", "--project", _folder.Path, "--full-refresh"], environment: new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token });

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("owns the warehouse: the run for 2026-12-02 joins its queue as request ", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"Run \S+ succeeded\.", run.Output);
        var runs = await _server!.Json("/api/runs");
        // Newest first: the full refresh (today on the server's clock), then the run of the 2nd.
        Assert.Equal(["2026-12-07", "2026-12-02"], runs.EnumerateArray().Select(item => item.GetProperty("run_date").GetString()));
        Assert.Equal(2, withoutToken.ExitCode);
        Assert.Contains("set ALQUIMIA_TOKEN to its token", withoutToken.Error, StringComparison.Ordinal);
        Assert.True(fullRefresh.ExitCode == 0, fullRefresh.Output + fullRefresh.Error);

        await _server!.StopAsync();
        Assert.False(File.Exists(ServerFile.PathOf(_folder.Load())));
    }

    [Fact]
    public async Task StatusQueryShowAndQuality_FromAnotherProcess_AreAnsweredByTheServer()
    {
        var client = await Start();
        await client.PostAsync("/api/runs?select=gold.crm_metrics_daily&run_date=2026-12-03", null);
        await _server!.WaitFor("/api/runs", json => json.GetArrayLength() == 1 && json[0].GetProperty("status").GetString() == "succeeded");
        var environment = new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token };

        var status = await CliProcess.RunAsync(["status", "--project", _folder.Path], environment: environment);
        var query = await CliProcess.RunAsync(["query", "SELECT data_referencia, n FROM gold.crm_metrics_daily", "--project", _folder.Path, "--format", "csv"], environment: environment);
        var show = await CliProcess.RunAsync(["show", "gold.crm_metrics_daily", "--project", _folder.Path, "--format", "json"], environment: environment);
        var quality = await CliProcess.RunAsync(["quality", "--project", _folder.Path, "--format", "json"], environment: environment);
        var refused = await CliProcess.RunAsync(["query", "DROP TABLE gold.crm_metrics_daily", "--project", _folder.Path], environment: environment);

        Assert.True(status.ExitCode == 0, status.Output + status.Error);
        Assert.Contains("gold.crm_metrics_daily", status.Output, StringComparison.Ordinal);
        Assert.Contains("2026-12-03", status.Output, StringComparison.Ordinal);
        Assert.Contains("succeeded", status.Output, StringComparison.Ordinal);
        Assert.Equal("data_referencia,n\n2026-12-03,1", query.Output.Trim().ReplaceLineEndings("\n"));
        Assert.Equal("""[{"data_referencia":"2026-12-03","n":1}]""", show.Output.Trim());
        // The library's refusal comes through in its own words, with its exit code.
        Assert.Equal(1, quality.ExitCode);
        Assert.Contains("No run has synced or checked data yet", quality.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("SELECT", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await _server.Json("/api/runs")).GetArrayLength());
    }

    [Fact]
    public async Task ABackfillFromAnotherProcess_QueuesTheSlotsNotRunYet_OnTheServer()
    {
        await Start();
        var environment = new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token };

        var first = await CliProcess.RunAsync(["backfill", "--job", "diario", "--from", "2026-12-01", "--to", "2026-12-02", "--project", _folder.Path], environment: environment);
        var again = await CliProcess.RunAsync(["backfill", "--job", "diario", "--from", "2026-12-02", "--to", "2026-12-03", "--project", _folder.Path], environment: environment);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("queues the slot of run date 2026-12-01 as request", first.Output, StringComparison.Ordinal);
        Assert.Matches(@"Run date 2026-12-02: run \S+ succeeded\.", first.Output);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("1 slot(s) ran already: left alone.", again.Output, StringComparison.Ordinal);
        await _server!.StopAsync();
        Assert.Equal(["2026-12-01", "2026-12-02", "2026-12-03"],
            WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT CAST(run_date AS VARCHAR) FROM _alquimia.job_slots WHERE job = 'diario' ORDER BY run_date"));
    }

    [Fact]
    public async Task ARunOfTheServer_EmitsItsOpenLineageEvents()
    {
        _folder.Write("alquimia.yml", File.ReadAllText(Path.Combine(_folder.Path, "alquimia.yml")) + "\nlineage:\n  file: lineage/events.jsonl\n");
        var client = await Start();

        await client.PostAsync("/api/runs?select=gold.crm_metrics_daily&run_date=2026-12-04", null);
        await _server!.WaitFor("/api/runs", json => json.GetArrayLength() == 1 && json[0].GetProperty("status").GetString() == "succeeded");
        await _server.StopAsync();

        var events = File.ReadAllLines(Path.Combine(_folder.Path, "lineage", "events.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["START", "COMPLETE"], events.Select(item => item.GetProperty("eventType").GetString()));
        Assert.All(events, item => Assert.EndsWith("gold.crm_metrics_daily", item.GetProperty("job").GetProperty("name").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARangeOfDays_DropsTheHistoryOnItsFirstDayOnly_ThroughTheServerOrNot(bool throughServer)
    {
        _folder.Write("models/gold/crm_snapshot.sql", """
            /* ---
            materialized: delete_insert
            window: data_referencia = run_date()
            --- */
            SELECT data_referencia, n FROM gold.crm_metrics_daily
            """);
        if (throughServer)
        {
            await Start();
        }

        var environment = new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token };
        var before = await CliProcess.RunAsync(["run", "--project", _folder.Path, "--run-date", "2026-11-30"], environment: environment);
        var range = await CliProcess.RunAsync(
            ["run", "--project", _folder.Path, "--from", "2026-12-01", "--to", "2026-12-03", "--drop-history", "gold.crm_snapshot", "--full-refresh"], environment: environment);
        if (_server is not null)
        {
            await _server.StopAsync();
        }

        Assert.True(before.ExitCode == 0, before.Output + before.Error);
        Assert.True(range.ExitCode == 0, range.Output + range.Error);
        Assert.Equal(throughServer, range.Output.Contains("joins its queue", StringComparison.Ordinal));
        // The 30th went with the dropped history; the three days of the range build one on another.
        Assert.Equal(["2026-12-01", "2026-12-02", "2026-12-03"],
            WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT CAST(data_referencia AS VARCHAR) FROM gold.crm_snapshot ORDER BY 1"));
    }

    [Fact]
    public async Task ARequestThatThrows_IsNotRun_AndTheQueueGoesOn()
    {
        await Start();
        var queue = _server!.App.Services.GetRequiredService<QueuedRuns>();
        var elsewhere = _folder.Load() with { WarehousePath = Path.Combine(_folder.Path, "another.duckdb") };

        var broken = queue.Enqueue(new RunRequest(elsewhere, new Alquimia.Orchestration.RunOptions(), "the test"));
        var next = queue.Enqueue(new RunRequest(_folder.Load(), new Alquimia.Orchestration.RunOptions { Selector = "gold.crm_metrics_daily" }, "the test"));

        await Assert.ThrowsAsync<ArgumentException>(() => broken.Completion);
        Assert.Equal("not_run", broken.State);
        Assert.True((await next.Completion).Succeeded);
    }

    [Fact]
    public async Task IngestFromAnotherProcess_RunsOnTheServer_AndTestSaysToStopIt()
    {
        _folder
            .Write("sources/crm.yml", "name: crm\nformat: csv\ntables:\n  - name: action\n")
            .Write("lake/landing/crm/action/ingestion_date=2026-12-01/a.csv", "id_action,status\n1,aberta\n2,fechada\n");
        await Start();
        var environment = new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token };

        var ingest = await CliProcess.RunAsync(["ingest", "--project", _folder.Path, "--table", "action"], environment: environment);
        var test = await CliProcess.RunAsync(["test", "--project", _folder.Path], environment: environment);

        Assert.True(ingest.ExitCode == 0, ingest.Output + ingest.Error);
        Assert.Contains("joins its queue as request", ingest.Output, StringComparison.Ordinal);
        Assert.Equal(2, test.ExitCode);
        Assert.Contains("owns the warehouse, and alquimia test cannot go through it yet. Stop the server", test.Error, StringComparison.Ordinal);
        var runs = await _server!.Json("/api/runs");
        Assert.Equal("bronze.action", runs[0].GetProperty("selector").GetString());
        await _server.StopAsync();
        Assert.Equal(["2"], WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT count(*) FROM bronze.action"));
    }

    [Fact]
    public async Task APausedJob_LetsItsSlotPass_ATriggerRunsItNow_AndResumeIsKept()
    {
        var environment = new Dictionary<string, string> { ["ALQUIMIA_TOKEN"] = Token };
        var paused = await CliProcess.RunAsync(["jobs", "pause", "diario", "--project", _folder.Path], environment: environment);
        Assert.True(paused.ExitCode == 0, paused.Output + paused.Error);
        var client = await Start();
        await _server!.WaitUntilReady();

        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

        // Once the scheduler waits for the next day's slot, today's was handled: paused, it queued nothing.
        var ready = await _server!.WaitFor("/readyz", json => json.GetProperty("next_slot").ValueKind == JsonValueKind.Object
            && json.GetProperty("next_slot").GetProperty("run_date").GetString() == "2026-12-08");
        Assert.Equal(0, ready.GetProperty("waiting").GetInt32());
        Assert.Equal(JsonValueKind.Null, ready.GetProperty("running").ValueKind);
        Assert.Equal(0, (await _server!.Json("/api/runs")).GetArrayLength());
        Assert.True((await _server!.Json("/api/jobs"))[0].GetProperty("paused").GetBoolean());

        var trigger = await CliProcess.RunAsync(["jobs", "trigger", "diario", "--project", _folder.Path], environment: environment);
        var resumed = await client.PostAsync("/api/jobs/diario/resume", null);

        Assert.True(trigger.ExitCode == 0, trigger.Output + trigger.Error);
        Assert.Contains("The server runs job 'diario' now (request ", trigger.Output, StringComparison.Ordinal);
        Assert.Equal("2026-12-07", (await _server!.Json("/api/runs"))[0].GetProperty("run_date").GetString());
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.False((await _server!.Json("/api/jobs"))[0].GetProperty("paused").GetBoolean());
        await _server!.StopAsync();
        Assert.Equal(["0"], WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT count(*) FROM _alquimia.job_slots"));
    }

    private async Task<HttpClient> Start()
    {
        _server = await TestServer.StartAsync(_folder.Load(), options => options with { Time = _clock });
        return _server.Client;
    }
}
