using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Alquimia.Tests.Monitoring;

/// <summary>
/// <c>/metrics</c> of a real server, scraped by a real Prometheus: the PromQL a Grafana panel would run returns what
/// the runs did.
/// </summary>
public sealed class MetricsTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 59, 0, TimeSpan.Zero);

    private readonly ProjectFolder _folder = new(withProjectFile: false);
    private readonly FakeTimeProvider _clock = new(Now);
    private TestServer? _server;

    public MetricsTests()
    {
        _folder.WriteCrmJob()
            .Write("models/silver/verificacao.sql", """
                /* ---
                expectations:
                  conformidade_valida: conforme IN (0, 1)
                --- */
                SELECT * FROM (VALUES (1, 1), (2, 0), (3, 7), (4, 1)) AS t(id_verificacao, conforme)
                """);
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
    public async Task Prometheus_ScrapesTheRuns_TheRows_TheQuarantine_AndTheFreshness()
    {
        _server = await TestServer.StartAsync(_folder.Load(), options => options with { Time = _clock });
        await _server.Client.PostAsync("/api/runs?run_date=2026-12-06", null);
        await _server.Client.PostAsync("/api/runs?select=silver.verificacao&run_date=2026-12-07", null);
        await _server.WaitFor("/api/runs", json => json.GetArrayLength() == 2 && json[0].GetProperty("status").GetString() == "succeeded");

        using var prometheus = new PrometheusServer(new Uri(_server.Address).Authority);

        Assert.Equal(2, await prometheus.WaitForValue("""alquimia_runs_total{job="alquimia", job_name="(manual)", status="succeeded"}""", 2));
        Assert.Equal(1, await prometheus.Value("up"));
        Assert.Equal(2, await prometheus.Value("""sum(alquimia_rows_quarantined_total{model="silver.verificacao"})"""));
        Assert.Equal(0.25, await prometheus.Value("""alquimia_invalid_ratio{model="silver.verificacao"}"""));
        Assert.Equal(2, await prometheus.Value("""alquimia_quality_checks_total{model="silver.verificacao", result="failed"}"""));
        Assert.Equal(1, await prometheus.Value("""alquimia_rows_inserted_total{model="gold.crm_metrics_daily"}"""));
        Assert.Equal(2, await prometheus.Value("""alquimia_run_duration_seconds_count{job_name="(manual)"}"""));
        Assert.Equal(3, await prometheus.Value("""sum(alquimia_step_attempts_total{status="succeeded"})"""));
        Assert.Equal(Now.ToUnixTimeSeconds(), await prometheus.Value("""alquimia_table_last_refresh_timestamp_seconds{table="gold.crm_metrics_daily"}"""));
        Assert.Equal(0, await prometheus.Value("alquimia_run_queue_length"));

        // Every query of the Grafana dashboard runs, on metrics the server exports.
        var exported = await _server.Client.GetStringAsync("/metrics");
        foreach (var query in DashboardQueries())
        {
            Assert.Null(await prometheus.ErrorOf(query.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__range", "1h", StringComparison.Ordinal)));
            Assert.All(Regex.Matches(query, @"alquimia_\w+").Select(match => match.Value), name => Assert.Contains(name, exported, StringComparison.Ordinal));
        }

        // The freshness is read at each scrape: two days later, silver.verificacao (which the job does not build) is two days old.
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(172_800, await prometheus.WaitForValue("""alquimia_table_refresh_age_seconds{table="silver.verificacao"}""", 172_800));
    }

    private static IEnumerable<string> DashboardQueries()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(RepoRoot.File("monitoring/grafana-dashboard.json"))).RootElement;
        return dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!);
    }

    [Fact]
    public async Task Metrics_NeedNoToken_UnlessTheServerIsToldSo()
    {
        await using var open = await TestServer.StartAsync(_folder.Load());
        using var anonymous = new HttpClient { BaseAddress = new Uri(open.Address) };
        var text = await anonymous.GetStringAsync("/metrics");
        await open.StopAsync();
        await using var protectedServer = await TestServer.StartAsync(_folder.Load(), options => options with { ProtectMetrics = true });
        using var stillAnonymous = new HttpClient { BaseAddress = new Uri(protectedServer.Address) };

        Assert.Contains("# TYPE alquimia_runs_total counter", text, StringComparison.Ordinal);
        Assert.Contains("process_working_set_bytes", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stillAnonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await protectedServer.Client.GetAsync("/metrics")).StatusCode);
    }
}
