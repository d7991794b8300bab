using System.Globalization;
using System.Net;
using Alquimia.Warehouse;
using Microsoft.Playwright;

namespace Alquimia.Tests.Dashboard;

/// <summary>
/// The dashboard of <c>alquimia serve</c> on seed 004's CRM project, in Debian's Chromium: what each panel shows is
/// compared with what the API and the warehouse hold, and a screenshot of each test's page is kept as an artifact.
/// </summary>
public sealed class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task ThePageAndItsAssets_AreServedWithoutAToken_ButTheirDataIsNot()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Server.Address) };

        using var page = await anonymous.GetAsync("/");
        using var script = await anonymous.GetAsync("/dashboard/js/main.js");
        using var library = await anonymous.GetAsync("/dashboard/vendor/chart.umd.min.js");
        using var graph = await anonymous.GetAsync("/api/graph");
        using var freshness = await anonymous.GetAsync("/api/freshness");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("Chart.js v4.6.2", await library.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (graph.StatusCode, freshness.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/dashboard/nothing-here.js")).StatusCode);
    }

    [Fact]
    public async Task WithoutAToken_ThePageAsksForOne_AndAWrongOneIsRefusedWithAMessage()
    {
        await using var tab = await fixture.OpenAsync();

        await tab.GoToAsync();
        Assert.True(await tab.Page.IsVisibleAsync("#token-form"));
        Assert.False(await tab.Page.IsVisibleAsync("#dashboard"));
        await tab.SignInAsync("not-the-token");
        await tab.Page.WaitForSelectorAsync("#token-error:has-text('refused')");

        Assert.Contains("The server refused this token (401)", await tab.Page.TextContentAsync("#token-error"), StringComparison.Ordinal);
        Assert.False(await tab.Page.IsVisibleAsync("#dashboard"));
        Assert.Null(await tab.Page.EvaluateAsync<string?>("sessionStorage.getItem('alquimia.token')"));
        await tab.ScreenshotAsync("token-refused");
        // The one console error is the browser noting the 401 it was answered.
        Assert.DoesNotContain(tab.Errors, error => !error.Contains("401", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRunHistory_ListsTheRun_WithItsStatusAndDuration()
    {
        var run = (await fixture.Server.Json("/api/runs"))[0];
        await using var tab = await fixture.OpenAsync();

        await tab.SignInAsync();
        Assert.Equal("ready", await tab.PanelStateAsync("runs-panel"));

        var item = tab.Page.Locator($"#runs li[data-run-id='{run.GetProperty("run_id").GetString()}']");
        Assert.Equal("succeeded", await item.GetAttributeAsync("data-status"));
        Assert.Equal("succeeded", await item.Locator("[data-role=run-status]").TextContentAsync());
        Assert.Contains("run date 2026-11-10", await item.TextContentAsync(), StringComparison.Ordinal);
        Assert.Matches(@"^\d+(\.\d)? s$|^\d+ ms$|^\d+ min \d\d s$", await item.Locator(".duration").TextContentAsync());
        Assert.Equal("true", await tab.Page.GetAttributeAsync("body", "data-signed-in"));
        Assert.Equal(TestServerToken, await tab.Page.EvaluateAsync<string>("sessionStorage.getItem('alquimia.token')"));
        await tab.ScreenshotAsync("dashboard");
        Assert.Empty(tab.Errors);
    }

    /// <summary>
    /// The token given while the page still waits for its config (a loaded machine: the CI flake that found it) signs in;
    /// it used to submit the form as a plain GET, reloading the page signed out.
    /// </summary>
    [Fact]
    public async Task ATokenGivenBeforeTheConfigArrives_SignsIn()
    {
        await using var tab = await fixture.OpenAsync();
        await tab.Page.RouteAsync("**/dashboard/config.json", async route =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await route.ContinueAsync();
        });

        await tab.SignInAsync();

        Assert.Equal("ready", await tab.PanelStateAsync("runs-panel"));
        Assert.Equal("true", await tab.Page.GetAttributeAsync("body", "data-signed-in"));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task TheGraph_ShowsEveryStep_WithItsLastStatus_AndEveryDependency()
    {
        var steps = fixture.Warehouse.Read(connection => RunLedger.LatestModelRuns(connection));
        var expected = fixture.Project.SourceTables.Select(pair => pair.Table.BronzeName.ToString()).Concat(fixture.Project.Models.Select(model => model.Name.ToString()))
            .Order(StringComparer.Ordinal).Select(name => $"{name}={steps[name].Status.ToString().ToLowerInvariant()}").ToList();
        await using var tab = await fixture.OpenAsync();

        await tab.SignInAsync();
        Assert.Equal("ready", await tab.PanelStateAsync("graph-panel"));

        var nodes = (await tab.AttributesAsync("#graph g[data-node]", "data-node")).Zip(await tab.AttributesAsync("#graph g[data-node]", "data-status"), (name, status) => $"{name}={status}");
        Assert.Equal(expected, nodes.Order(StringComparer.Ordinal));
        Assert.Contains("gold.crm_metrics_daily=succeeded", expected);
        Assert.Equal(fixture.Project.Models.Sum(model => model.References.Count), await tab.Page.Locator("#graph path.edge").CountAsync());
        Assert.Equal(1, await tab.Page.Locator("#graph path.edge[data-from='silver.verification'][data-to='gold.crm_metrics_daily']").CountAsync());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Freshness_ListsEveryTable_WithWhenItWasRefreshed()
    {
        var tables = fixture.Project.SourceTables.Select(pair => pair.Table.BronzeName.ToString()).Concat(fixture.Project.Models.Select(model => model.Name.ToString()))
            .Order(StringComparer.Ordinal).ToList();
        await using var tab = await fixture.OpenAsync();

        await tab.SignInAsync();
        Assert.Equal("ready", await tab.PanelStateAsync("freshness-panel"));

        Assert.Equal(tables, (await tab.AttributesAsync("#freshness tr[data-table]", "data-table")).Order(StringComparer.Ordinal));
        Assert.All(await tab.AttributesAsync("#freshness tr[data-table]", "data-state"), state => Assert.Equal("fresh", state));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", await tab.Page.Locator("#freshness tr[data-table='gold.crm_metrics_daily'] td").Nth(1).TextContentAsync());
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Quality_ShowsEachCheckedModel_WithItsQuarantinedRowsAndWorstRules()
    {
        var report = await fixture.Server.Json("/api/quality");
        var expected = report.GetProperty("models").EnumerateArray()
            .Select(model => $"{model.GetProperty("model").GetString()}={(model.GetProperty("rows_quarantined").ValueKind == System.Text.Json.JsonValueKind.Null ? 0 : model.GetProperty("rows_quarantined").GetInt64())}")
            .ToList();
        await using var tab = await fixture.OpenAsync();

        await tab.SignInAsync();
        Assert.Equal("ready", await tab.PanelStateAsync("quality-panel"));

        var shown = (await tab.AttributesAsync("#quality tr[data-model]", "data-model")).Zip(await tab.AttributesAsync("#quality tr[data-model]", "data-quarantined"), (model, rows) => $"{model}={rows}");
        Assert.NotEmpty(expected);
        Assert.Equal(expected, shown);
        // One run: a point in the trend for each model whose expectations checked rows (silver); none for tests alone (gold).
        var points = (await tab.AttributesAsync("#quality tr[data-model]", "data-model")).Zip(await tab.AttributesAsync("#quality svg.sparkline", "data-points"), (model, count) => $"{model}={count}");
        Assert.Equal(
            report.GetProperty("models").EnumerateArray().Select(model => model.GetProperty("model").GetString()!).Select(model => $"{model}={(model.StartsWith("silver.", StringComparison.Ordinal) ? 1 : 0)}"),
            points);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task TheCharts_AreDrawn_WithAPointPerDay_AndTheSumsOfTheTable()
    {
        var days = fixture.Direct("SELECT count(DISTINCT data_referencia) FROM gold.crm_metrics_daily").Single();
        var total = fixture.Direct("SELECT sum(total_verificacoes) FROM gold.crm_metrics_daily").Single();
        var organizations = fixture.Direct("SELECT count(DISTINCT organization_id) FROM gold.crm_metrics_daily").Single();
        await using var tab = await fixture.OpenAsync();

        await tab.SignInAsync();
        await tab.Page.WaitForSelectorAsync("#charts figure:not([data-state=loading])");
        await tab.Page.WaitForFunctionAsync("[...document.querySelectorAll('#charts figure')].every(figure => figure.dataset.state !== 'loading')");

        var metrics = tab.Page.Locator("#chart-0");
        Assert.Equal("drawn", await metrics.GetAttributeAsync("data-state"));
        Assert.Equal(days, await metrics.GetAttributeAsync("data-points"));
        Assert.Equal("2", await metrics.GetAttributeAsync("data-series"));
        // What Chart.js holds is the table's sum; and its canvas is painted, not blank.
        var drawnTotal = await tab.Page.EvaluateAsync<double>("Chart.getChart(document.querySelector('#chart-0 canvas')).data.datasets[0].data.reduce((sum, value) => sum + value, 0)");
        Assert.Equal(double.Parse(total, CultureInfo.InvariantCulture), drawnTotal);
        Assert.True(await tab.Page.EvaluateAsync<bool>(
            "(() => { const canvas = document.querySelector('#chart-0 canvas'); const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data; return pixels.some(value => value !== 0); })()"));
        Assert.Equal(organizations, await tab.Page.GetAttributeAsync("#chart-2", "data-series"));
        Assert.Equal(("drawn", "7"), (await tab.Page.GetAttributeAsync("#chart-3", "data-state"), await tab.Page.GetAttributeAsync("#chart-3", "data-series")));
        await tab.Page.Locator("#charts-panel").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Directory.CreateDirectory(DashboardPage.ArtifactsFolder).FullName, "charts.png") });
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task TheOpenActions_ArePaged_ByTheReadApisCursor_NextAndPrevious()
    {
        const string Query = "/api/tables/gold.crm_actions_open_snapshot?columns=id_action,organization_id,location_id,responsavel,due_date,status,tipo,vencida,data_snapshot&order=-data_snapshot,due_date,id_action&page_size=20";
        var first = await fixture.Server.Json(Query);
        var second = await fixture.Server.Json(Query + "&after=" + Uri.EscapeDataString(first.GetProperty("next").GetString()!));
        static List<string> Ids(System.Text.Json.JsonElement page) => [.. page.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("id_action").GetInt64().ToString(CultureInfo.InvariantCulture))];
        await using var tab = await fixture.OpenAsync();
        var ids = tab.Page.Locator("#listing-0 td[data-column=id_action]");

        await tab.SignInAsync();
        Assert.Equal("ready", await tab.PanelStateAsync("listing-0"));
        Assert.Equal(Ids(first), await ids.AllTextContentsAsync());
        Assert.True(await tab.Page.IsDisabledAsync("#listing-0 [data-role=previous]"));

        await tab.Page.ClickAsync("#listing-0 [data-role=next]");
        await tab.Page.WaitForSelectorAsync("#listing-0[data-page='2'][data-state=ready]");
        Assert.Equal(Ids(second), await ids.AllTextContentsAsync());
        Assert.NotEqual(Ids(first), Ids(second));
        await tab.ScreenshotAsync("open-actions-page-2");

        await tab.Page.ClickAsync("#listing-0 [data-role=previous]");
        await tab.Page.WaitForSelectorAsync("#listing-0[data-page='1'][data-state=ready]");
        Assert.Equal(Ids(first), await ids.AllTextContentsAsync());
        Assert.Empty(tab.Errors);
    }

    /// <summary>
    /// Signed in with ORG1's API key, the operator's panels say the key cannot read them, and the charts and the listing
    /// show ORG1's rows only: the row filter the server applies to the key, not anything the page does.
    /// </summary>
    [Fact]
    public async Task WithAnOrganizationsKey_TheOperatorsPanelsAreRefused_AndTheChartsAndListingShowItsRowsOnly()
    {
        var org1Total = fixture.Direct("SELECT sum(total_verificacoes) FROM gold.crm_metrics_daily WHERE organization_id = 'ORG1'").Single();
        var allTotal = fixture.Direct("SELECT sum(total_verificacoes) FROM gold.crm_metrics_daily").Single();
        await using var tab = await fixture.OpenAsync();

        await tab.SignInAsync(DashboardFixture.Org1Key);
        await tab.Page.WaitForSelectorAsync("#chart-0[data-state=drawn]");
        await tab.Page.WaitForSelectorAsync("#chart-2[data-state=drawn]");
        Assert.Equal("ready", await tab.PanelStateAsync("listing-0"));

        foreach (var panel in new[] { "runs-panel", "graph-panel", "quality-panel", "freshness-panel" })
        {
            Assert.Equal("refused", await tab.PanelStateAsync(panel));
            Assert.Contains("This key cannot read", await tab.Page.TextContentAsync($"#{panel} [data-role=status]"), StringComparison.Ordinal);
        }

        var drawnTotal = await tab.Page.EvaluateAsync<double>("Chart.getChart(document.querySelector('#chart-0 canvas')).data.datasets[0].data.reduce((sum, value) => sum + value, 0)");
        Assert.Equal(double.Parse(org1Total, CultureInfo.InvariantCulture), drawnTotal);
        Assert.NotEqual(org1Total, allTotal);
        Assert.Equal("1", await tab.Page.GetAttributeAsync("#chart-2", "data-series"));
        var organizations = await tab.Page.Locator("#listing-0 td[data-column=organization_id]").AllTextContentsAsync();
        Assert.NotEmpty(organizations);
        Assert.All(organizations, organization => Assert.Equal("ORG1", organization));
        await tab.ScreenshotAsync("org1-key");
        // The browser logs each refused request; nothing else went wrong.
        Assert.All(tab.Errors, error => Assert.Contains("status of 403", error, StringComparison.Ordinal));
    }

    /// <summary>
    /// The API's reference page renders the server's own OpenAPI document, offline: every request the browser makes
    /// goes to the server itself, and none fails.
    /// </summary>
    [Fact]
    public async Task TheApiReferencePage_ShowsTheServersEndpoints_WithNothingFetchedFromElsewhere()
    {
        await using var tab = await fixture.OpenAsync();
        var requests = new List<string>();
        var failed = new List<string>();
        tab.Page.Request += (_, request) => requests.Add(request.Url);
        tab.Page.RequestFailed += (_, request) => failed.Add(request.Url);

        await tab.Page.GotoAsync(tab.Address + "/scalar");
        // Summaries of the server's own endpoints, written by its OpenAPI document.
        await tab.Page.GetByText("Alive: 200 ok, without a token").First.WaitForAsync();

        Assert.Contains(requests, url => url.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        Assert.All(requests, url => Assert.StartsWith(tab.Address, url, StringComparison.Ordinal));
        Assert.Empty(failed);
        await tab.ScreenshotAsync("api-reference");
    }

    private const string TestServerToken = Scheduling.TestServer.Token;
}
