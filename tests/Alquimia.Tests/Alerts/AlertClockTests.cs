using System.Text.Json;
using Alquimia.Orchestration;
using Alquimia.Scheduling;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Scheduling;
using Alquimia.Warehouse;
using Microsoft.Extensions.Time.Testing;

namespace Alquimia.Tests.Alerts;

/// <summary>
/// The alerts of the clock, on a fake one: a slot missed while the server was down, a table stale for days (repeated
/// while it stays so, kept firing across a restart without a second message, resolved once refreshed).
/// </summary>
public sealed class AlertClockTests : IAsyncDisposable
{
    private const string Hook = "/plantao";

    private readonly ProjectFolder _folder = new(withProjectFile: false);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 30, TimeSpan.Zero));
    private HttpReceiver? _receiver;
    private TestServer? _server;

    public AlertClockTests()
    {
        _folder
            .Write("alquimia.yml", """
                name: crm
                timezone: America/Sao_Paulo
                jobs:
                  - name: diario
                    select: gold.crm_metrics_daily
                    schedule: "0 6 * * *"
                    catch_up: none
                alerts:
                  channels:
                    plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
                  rules:
                    - name: agenda_perdida
                      when: schedule_missed
                      over: 15m
                      jobs: diario
                      notify: plantao
                    - name: desatualizada
                      when: table_stale
                      over: 1d
                      tables: silver.verificacao
                      repeat_interval: 1h
                      notify: plantao
                """)
            .Write("models/gold/crm_metrics_daily.sql", "SELECT run_date() AS data_referencia, 1 AS n\n")
            .Write("models/silver/verificacao.sql", "SELECT 1 AS id_verificacao\n");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task AMissedSlot_AndAStaleTable_Fire_Repeat_SurviveARestart_AndResolve()
    {
        // 2026-12-05: the job's slot runs, and silver.verificacao is refreshed; then the server is down until the 7th.
        var project = _folder.Load();
        var job = project.Jobs.Single();
        using (var warehouse = EmbeddedWarehouse.Open(project))
        {
            var runner = new PipelineRunner(warehouse, _clock);
            await runner.RunAsync(JobRuns.ProjectFor(project, job), JobRuns.OptionsFor(JobSlot.Of(job, new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero))));
            await runner.RunAsync(project, new RunOptions { Selector = "silver.verificacao" });
        }

        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 59, 0, TimeSpan.Zero));
        _receiver = await HttpReceiver.StartAsync();
        await StartServer();

        var missed = await _receiver.WaitFor(Hook, body => Is(body, "agenda_perdida", "firing"));
        var stale = await _receiver.WaitFor(Hook, body => Is(body, "desatualizada", "firing"));
        Assert.Equal("diario", missed.GetProperty("subject").GetString());
        Assert.Equal("Job diario had no run started within 15m of its slot at 2026-12-06 06:00 -03:00 (run date 2026-12-06).", missed.GetProperty("summary").GetString());
        Assert.Equal("silver.verificacao", stale.GetProperty("subject").GetString());
        Assert.Equal("2026-12-05 09:00:30 UTC", stale.GetProperty("facts").GetProperty("last refresh").GetString());

        // 06:00 in São Paulo: today's slot runs, and the missed-slot alert clears at the next check.
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await _server!.WaitFor("/api/runs", json => json.GetArrayLength() == 3 && json[0].GetProperty("status").GetString() == "succeeded");
        _clock.Advance(AlertMonitorCheck);
        var resolved = await _receiver.WaitFor(Hook, body => Is(body, "agenda_perdida", "resolved"));
        Assert.Equal(missed.GetProperty("since").GetString(), resolved.GetProperty("since").GetString());

        // An hour later the stale table is reported again; a restarted server does not fire it anew.
        _clock.Advance(TimeSpan.FromHours(1));
        var repeated = await _receiver.WaitFor(Hook, body => Is(body, "desatualizada", "firing") && body.GetProperty("summary").GetString()!.StartsWith("Still firing", StringComparison.Ordinal));
        await _server.DisposeAsync();
        await StartServer();
        _clock.Advance(AlertMonitorCheck);
        await Task.Delay(500); // the restarted monitor's first checks, which must send nothing

        // Refreshed: resolved at the next check.
        using (var accepted = await _server.Client.PostAsync("/api/runs?select=silver.verificacao", null))
        {
            accepted.EnsureSuccessStatusCode();
        }

        await _server.WaitFor("/api/runs", json => json[0].GetProperty("selector").GetString() == "silver.verificacao" && json[0].GetProperty("status").GetString() == "succeeded");
        _clock.Advance(AlertMonitorCheck);
        await _receiver.WaitFor(Hook, body => Is(body, "desatualizada", "resolved"));

        Assert.Equal(stale.GetProperty("since").GetString(), repeated.GetProperty("since").GetString());
        Assert.Equal(2, _receiver.At(Hook).Count(body => Is(body, "desatualizada", "firing")));
        Assert.Single(_receiver.At(Hook), body => Is(body, "agenda_perdida", "firing"));
    }

    private static readonly TimeSpan AlertMonitorCheck = Alquimia.Alerts.AlertEvaluator.CheckEvery;

    private static bool Is(JsonElement body, string rule, string state) =>
        body.GetProperty("rule").GetString() == rule && body.GetProperty("state").GetString() == state;

    private async Task StartServer()
    {
        var url = _receiver!.Address + Hook;
        _server = await TestServer.StartAsync(_folder.Load(), options => options with { Time = _clock, Environment = name => name == "ALERT_WEBHOOK_URL" ? url : null });
    }
}
