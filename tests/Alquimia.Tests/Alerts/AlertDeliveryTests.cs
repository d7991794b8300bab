using System.Text.Json;
using Alquimia.Orchestration;
using Alquimia.Server;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Scheduling;
using Alquimia.Tests.Warehouse.DuckDb;
using Microsoft.Extensions.DependencyInjection;

namespace Alquimia.Tests.Alerts;

/// <summary>
/// Alerts from a real server to a real HTTP receiver (the webhook and Slack channels) and a real SMTP server (email),
/// with the payloads asserted: a failure and its resolution, seed 003's success summary, a deadline fired while a
/// step still runs, bronze with no rows, the invalid ratio, and a receiver that is down.
/// </summary>
public sealed class AlertDeliveryTests : IAsyncDisposable
{
    private const string WebhookSecret = "T0ken-in-the-url-9f8e7d";

    private readonly ProjectFolder _folder = new(withProjectFile: false);
    private HttpReceiver? _receiver;
    private TestServer? _server;

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
    public async Task AFailedRun_IsSentToTheWebhookSlackAndEmail_TheNextSuccessResolvesIt_AndSummarizes()
    {
        using var smtp = new SmtpServer();
        await Start($$"""
            channels:
              plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
              dados_slack: {type: slack, url_env: SLACK_WEBHOOK_URL}
              email_dados:
                type: email
                host: 127.0.0.1
                port: {{smtp.Port}}
                security: none
                from: alquimia@empresa.com
                to: [dados@empresa.com, plantao@empresa.com]
            rules:
              - name: pipeline_falhou
                when: run_failed
                notify: [plantao, dados_slack, email_dados]
              - name: resumo_diario
                when: run_succeeded
                notify: [dados_slack]
            """);

        await Run("2026-12-01");
        var firing = await _receiver!.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("state").GetString() == "firing");
        var slackFiring = await _receiver.WaitFor("/slack", body => body.GetProperty("text").GetString()!.StartsWith("FIRING", StringComparison.Ordinal));
        var mails = await smtp.WaitForMessages(1);
        await Run("2026-12-02");
        var resolved = await _receiver.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("state").GetString() == "resolved");
        var summary = await _receiver.WaitFor("/slack", body => body.GetProperty("text").GetString()!.StartsWith("INFO resumo_diario", StringComparison.Ordinal));

        Assert.Equal("crm", firing.GetProperty("project").GetString());
        Assert.Equal("pipeline_falhou", firing.GetProperty("rule").GetString());
        Assert.Equal("run_failed", firing.GetProperty("condition").GetString());
        Assert.Equal("(manual)", firing.GetProperty("subject").GetString());
        Assert.Contains("1 step(s) failed (gold.crm_metrics_daily), 0 skipped", firing.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("fonte indisponível", firing.GetProperty("facts").GetProperty("gold.crm_metrics_daily").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-12-01", firing.GetProperty("facts").GetProperty("run date").GetString());
        var runId = firing.GetProperty("run_id").GetString();
        Assert.Equal(runId, firing.GetProperty("facts").GetProperty("run").GetString());

        var blocks = slackFiring.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("FIRING pipeline_falhou: (manual)", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.StartsWith(":red_circle: Run ", blocks[1].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(blocks[2].GetProperty("fields").EnumerateArray(), field => field.GetProperty("text").GetString() == $"*run*\n{runId}");

        var mail = Assert.Single(mails);
        Assert.Equal("[Alquimia crm] FIRING pipeline_falhou: (manual)", mail.Subject);
        Assert.Equal(["dados@empresa.com", "plantao@empresa.com"], mail.To.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Equal("alquimia@empresa.com", mail.From.Mailboxes.Single().Address);
        Assert.Contains(mail.TextBody!.Split('\n'), line => line.StartsWith("gold.crm_metrics_daily: ", StringComparison.Ordinal) && line.Contains("fonte indisponível", StringComparison.Ordinal));

        Assert.Equal("(manual)", resolved.GetProperty("subject").GetString());
        Assert.Equal(firing.GetProperty("since").GetString(), resolved.GetProperty("since").GetString());
        var summaryFields = summary.GetProperty("blocks")[2].GetProperty("fields").EnumerateArray().Select(field => field.GetProperty("text").GetString()).ToList();
        Assert.Contains("*tables*\n1", summaryFields);
        Assert.Contains("*records*\n1", summaryFields);
        Assert.Contains("*run date*\n2026-12-02", summaryFields);
        Assert.Contains($"*path*\n{_folder.Load().WarehousePath}", summaryFields);

        // The API lists what was sent; the state table keeps no secret.
        var alerts = await _server!.Json("/api/alerts");
        Assert.Equal(["event", "resolved", "firing"], alerts.EnumerateArray().Select(alert => alert.GetProperty("state").GetString()));
        Assert.Equal(["plantao", "dados_slack", "email_dados"], alerts[2].GetProperty("channels").EnumerateArray().Select(channel => channel.GetString()));
        await _server.StopAsync();
        Assert.DoesNotContain(WarehouseRows.Of(_folder.Load().WarehousePath, "SELECT concat_ws('|', COLUMNS(*)) FROM _alquimia.alerts"), row => row.Contains(WebhookSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARunOverItsLimit_IsReportedWhileItStillRuns_AndResolvedWhenItEnds()
    {
        await Start("""
            channels:
              plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
            rules:
              - name: demora
                when: run_duration
                over: 1s
                notify: plantao
            """);
        var hold = new HoldStep("gold.crm_metrics_daily");
        var queue = _server!.App.Services.GetRequiredService<QueuedRuns>();
        var request = queue.Enqueue(new RunRequest(_folder.Load(), new RunOptions { RunDate = new DateOnly(2026, 12, 2), Faults = hold }, "the test"));

        var firing = await _receiver!.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("state").GetString() == "firing");
        var stateWhenFired = request.State;
        hold.Release();
        var resolved = await _receiver.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("state").GetString() == "resolved");

        Assert.Equal("running", stateWhenFired);
        Assert.True(hold.WasHeld);
        Assert.Equal("demora", firing.GetProperty("rule").GetString());
        Assert.Contains("has not finished 1s after it started at", firing.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("1s", firing.GetProperty("facts").GetProperty("limit").GetString());
        Assert.Contains("ended after", resolved.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("(succeeded)", resolved.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("succeeded", (await request.Completion).Run.Status.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task ADeadlineFromTheSlot_CountsTheTimeTheRunWaited()
    {
        // Seed 003: the 02:00 UTC run must be done by 03:00, however late it started.
        await Start("""
            channels:
              plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
            rules:
              - name: sla_0300
                when: run_duration
                over: 1h
                from: slot
                notify: plantao
            """, "jobs:\n  - name: radar\n    schedule: \"0 2 * * *\"\n    timezone: UTC\n");
        var project = _folder.Load();
        var job = project.Jobs.Single();
        var slot = Alquimia.Scheduling.JobSlot.Of(job, new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(-1).AddHours(2), TimeSpan.Zero));
        var hold = new HoldStep("gold.crm_metrics_daily");
        var request = _server!.App.Services.GetRequiredService<QueuedRuns>().Enqueue(
            new RunRequest(JobRuns.ProjectFor(project, job), JobRuns.OptionsFor(slot) with { Faults = hold }, "the test") { Job = job });

        var firing = await _receiver!.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("state").GetString() == "firing");
        var stateWhenFired = request.State;
        hold.Release();
        await _receiver.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("state").GetString() == "resolved");

        Assert.Equal("running", stateWhenFired);
        Assert.Equal("radar", firing.GetProperty("subject").GetString());
        Assert.Contains($"has not finished 1h after its slot at {slot.At:yyyy-MM-dd} 02:00:00 UTC", firing.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BronzeWithNoRows_AndAnInvalidRatioOverItsLimit_Fire_PerTableAndForTheProject()
    {
        _folder
            .Write("sources/crm.yml", "name: crm\nformat: csv\ntables:\n  - name: action\n")
            .Write("lake/landing/crm/action/ingestion_date=2026-12-01/a.csv", "id_action,status\n")
            .Write("models/silver/verificacao.sql", """
                /* ---
                expectations:
                  conformidade_valida: conforme IN (0, 1)
                --- */
                SELECT * FROM (VALUES (1, 1), (2, 0), (3, 7), (4, 1)) AS t(id_verificacao, conforme)
                """);
        await Start("""
            channels:
              plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
            rules:
              - name: bronze_vazio
                when: bronze_empty
                notify: plantao
              - name: invalidos_verificacao
                when: invalid_ratio
                over: 0.2
                tables: silver.verificacao
                notify: plantao
              - name: invalidos_projeto
                when: invalid_ratio
                over: 0.3
                notify: plantao
            """);

        await Run("2026-12-02");
        var empty = await _receiver!.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("rule").GetString() == "bronze_vazio");
        var model = await _receiver.WaitFor("/plantao/" + WebhookSecret, body => body.GetProperty("rule").GetString() == "invalidos_verificacao");
        await _server!.StopAsync();

        Assert.Equal("bronze.action", empty.GetProperty("subject").GetString());
        Assert.Equal("bronze.action has no rows after run " + empty.GetProperty("run_id").GetString() + " synced it.", empty.GetProperty("summary").GetString());
        Assert.Equal("silver.verificacao", model.GetProperty("subject").GetString());
        Assert.Equal("25.00 %", model.GetProperty("facts").GetProperty("ratio").GetString());
        Assert.Equal("1", model.GetProperty("facts").GetProperty("invalid").GetString());
        // The whole run checked 4 rows and found 1 invalid: 25%, within the project's 30%.
        Assert.DoesNotContain(_receiver.At("/plantao/" + WebhookSecret), body => body.GetProperty("rule").GetString() == "invalidos_projeto");
    }

    [Fact]
    public async Task ARetriedStep_SendsOneMessagePerRetry()
    {
        await Start("""
            channels:
              plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
            rules:
              - name: retentativa
                when: step_retried
                notify: plantao
            """, "retries: 2\nretry_backoff: 10ms\n");

        var request = _server!.App.Services.GetRequiredService<QueuedRuns>().Enqueue(new RunRequest(
            _folder.Load(), new RunOptions { RunDate = new DateOnly(2026, 12, 2), Faults = new FailingCommits("gold.crm_metrics_daily", 2) }, "the test"));
        Assert.True((await request.Completion).Succeeded);
        await _server.StopAsync();

        var retries = _receiver!.At("/plantao/" + WebhookSecret);
        Assert.Equal([1, 2], retries.Select(body => int.Parse(body.GetProperty("facts").GetProperty("attempt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(retries, body => Assert.Equal(("event", "gold.crm_metrics_daily"), (body.GetProperty("state").GetString(), body.GetProperty("subject").GetString())));
        Assert.Contains("disco cheio", retries[0].GetProperty("facts").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReceiverThatIsDown_IsTriedThreeTimes_AndTheFailureIsRecordedWithoutTheSecret()
    {
        await Start("""
            channels:
              plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
            rules:
              - name: pipeline_falhou
                when: run_failed
                notify: plantao
            """);
        _receiver!.FailFirst = 10;

        await Run("2026-12-01");
        var alert = await _server!.WaitFor("/api/alerts", json => json.GetArrayLength() == 1);

        Assert.Equal(3, _receiver.Requests);
        Assert.Equal(0, alert[0].GetProperty("channels").GetArrayLength());
        var failure = alert[0].GetProperty("failures").GetString()!;
        Assert.StartsWith("plantao: the receiver answered 500", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSecret, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChannelWhoseSecretIsNotSet_StopsTheServerFromStarting_NamingTheVariable()
    {
        _folder.Write("alquimia.yml", """
            name: crm
            alerts:
              channels:
                dados_slack: {type: slack, url_env: SLACK_WEBHOOK_URL}
              rules:
                - name: pipeline_falhou
                  when: run_failed
                  notify: dados_slack
            """);

        var error = Assert.Throws<AlquimiaException>(() => AlquimiaServer.Build(
            _folder.Load(), new ServerOptions("http://127.0.0.1:0", TestServer.Token) { Environment = _ => null }));

        Assert.Contains("alert channel 'dados_slack' (alquimia.yml, line 4) reads its URL from SLACK_WEBHOOK_URL, which is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunThatSyncsSources_SaysWhatItLanded_InItsFailureAndItsSuccessMessages()
    {
        // Seed 003's Slack messages: "Tables: 82, Records: …, S3 Path: …" on success, and the same on failure.
        _folder
            .Write("sources/radar.yml", "name: radar\nformat: csv\ntables:\n  - name: store\n")
            .Write("lake/landing/radar/store/ingestion_date=2026-12-01/a.csv", "id_store\n1\n2\n3\n");
        await Start("""
            channels:
              dados_slack: {type: slack, url_env: SLACK_WEBHOOK_URL}
            rules:
              - name: radar_sync_failed
                when: run_failed
                notify: dados_slack
              - name: radar_sync_completed
                when: run_succeeded
                notify: dados_slack
            """);
        var landing = Path.Combine(_folder.Load().LakePath, "landing", "radar");

        await Run("2026-12-01");
        var failed = await _receiver!.WaitFor("/slack", body => body.GetProperty("text").GetString()!.StartsWith("FIRING radar_sync_failed", StringComparison.Ordinal));
        _folder.Write("lake/landing/radar/store/ingestion_date=2026-12-02/b.csv", "id_store\n4\n5\n");
        await Run("2026-12-02");
        var completed = await _receiver.WaitFor("/slack", body => body.GetProperty("text").GetString()!.StartsWith("INFO radar_sync_completed", StringComparison.Ordinal));

        Assert.Equal(["*tables synced*\n1 of 1", "*records landed*\n3", $"*landing*\n{landing}"], SyncFields(failed));
        Assert.Equal(["*tables synced*\n1 of 1", "*records landed*\n2", $"*landing*\n{landing}"], SyncFields(completed));

        static List<string> SyncFields(JsonElement message) => [.. message.GetProperty("blocks").EnumerateArray()
            .Where(block => block.TryGetProperty("fields", out _))
            .SelectMany(block => block.GetProperty("fields").EnumerateArray().Select(field => field.GetProperty("text").GetString()!))
            .Where(field => field.StartsWith("*tables synced*", StringComparison.Ordinal) || field.StartsWith("*records landed*", StringComparison.Ordinal)
                || field.StartsWith("*landing*", StringComparison.Ordinal))];
    }

    /// <summary>Starts the receiver and a server for seed 004's small project with <paramref name="alerts"/> as its alerts.</summary>
    private async Task Start(string alerts, string settings = "")
    {
        _receiver = await HttpReceiver.StartAsync();
        _folder
            .Write("alquimia.yml", "name: crm\ntimezone: America/Sao_Paulo\n" + settings + "alerts:\n" + string.Join('\n', alerts.Split('\n').Select(line => "  " + line)) + "\n")
            .Write("models/gold/crm_metrics_daily.sql", """
                SELECT CASE WHEN run_date() = DATE '2026-12-01' THEN error('fonte indisponível') ELSE run_date() END AS data_referencia, 1 AS n
                """);
        var environment = new Dictionary<string, string>
        {
            ["ALERT_WEBHOOK_URL"] = $"{_receiver.Address}/plantao/{WebhookSecret}",
            ["SLACK_WEBHOOK_URL"] = $"{_receiver.Address}/slack",
        };
        _server = await TestServer.StartAsync(_folder.Load(), options => options with { Environment = name => environment.GetValueOrDefault(name) });
    }

    /// <summary>Runs everything for <paramref name="runDate"/> through the API and waits for the run to end.</summary>
    private async Task Run(string runDate)
    {
        using var accepted = await _server!.Client.PostAsync($"/api/runs?run_date={runDate}", null);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
        await _server.WaitFor($"/api/requests/{id}", json => json.GetProperty("state").GetString() is "finished" or "not_run");
    }

    /// <summary>Fails the first <paramref name="times"/> commits of <paramref name="step"/> with an I/O error, which is retried.</summary>
    private sealed class FailingCommits(string step, int times) : FaultInjection
    {
        private int _left = times;

        public override void BeforeCommit(string stepName)
        {
            if (string.Equals(stepName, step, StringComparison.Ordinal) && Interlocked.Decrement(ref _left) >= 0)
            {
                throw new IOException("disco cheio (injected)");
            }
        }
    }

    /// <summary>Holds <paramref name="step"/> just before it commits until <see cref="Release"/>: a step as slow as the test needs.</summary>
    private sealed class HoldStep(string step) : FaultInjection
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool WasHeld { get; private set; }

        public void Release() => _released.TrySetResult();

        public override void BeforeCommit(string stepName)
        {
            if (string.Equals(stepName, step, StringComparison.Ordinal))
            {
                WasHeld = true;
                _released.Task.Wait(TimeSpan.FromSeconds(60));
            }
        }
    }
}
