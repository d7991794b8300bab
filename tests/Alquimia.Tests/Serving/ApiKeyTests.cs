using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alquimia.Projects;
using Alquimia.Tests.Orchestration;
using Alquimia.Server;
using Alquimia.Tests.Scheduling;
using Alquimia.Tests.Warehouse.DuckDb;
using Microsoft.Extensions.DependencyInjection;

namespace Alquimia.Tests.Serving;

/// <summary>
/// The read API's security on seed 004's CRM project: a key scoped to ORG1 sees ORG1's rows and nothing else, however
/// it asks (filters, orders, counts, cursors, cached answers); a key reads tables only; no key is a 401; each key has
/// its rate; browsers of other sites are refused unless configured; and the API describes itself.
/// </summary>
public sealed class ApiKeyTests : IAsyncLifetime, IDisposable
{
    private const string Org1Key = "org1-0123456789abcdef0123456789abcdef";
    private const string LimitedKey = "limited-0123456789abcdef0123456789abcdef";

    private static readonly string[] Tables = ["gold.crm_metrics_daily", "gold.crm_actions_open_snapshot", "gold.crm_action_priorities_daily"];

    private readonly TempDirectory _directory = new();
    private Project? _project;
    private TestServer? _server;
    private HttpClient? _org1;

    public async Task InitializeAsync()
    {
        _project = await ServedCrm.BuildAsync(_directory.Path, $"""

            serve:
              cors:
                origins: [https://crm.example.com]
              api_keys:
                crm_org1:
                  key_env: CRM_KEY_ORG1
                  tables:
                    gold.crm_metrics_daily: organization_id = 'ORG1'
                    gold.crm_actions_open_snapshot: organization_id = 'ORG1'
                    gold.crm_action_priorities_daily: organization_id = 'ORG1'
                  rate_limit: {"{"}requests: 100000, per: 1s{"}"}
                limitada:
                  key_sha256: {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(LimitedKey)))}
                  tables:
                    gold.*: all
                  rate_limit: {"{"}requests: 3, per: 1h{"}"}

            """);
        _server = await TestServer.StartAsync(_project, options => options with { Environment = name => name == "CRM_KEY_ORG1" ? Org1Key : null });
        _org1 = Client(Org1Key);
    }

    public async Task DisposeAsync()
    {
        _org1?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task NoKey_OrAnUnknownOne_IsA401()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(_server!.Address) };
        using var unknown = Client("not-a-key-of-this-server-0123456789");

        using var none = await anonymous.GetAsync("/api/tables/gold.crm_metrics_daily");
        using var wrong = await unknown.GetAsync("/api/tables");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none.StatusCode, wrong.StatusCode));
        Assert.Contains("Authorization: Bearer", Error(await none.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AKey_ListsAndReadsItsTablesOnly_AndNothingButTables()
    {
        var listed = JsonDocument.Parse(await _org1!.GetStringAsync("/api/tables")).RootElement.EnumerateArray().Select(table => table.GetProperty("name").GetString()).ToList();
        using var silver = await _org1.GetAsync("/api/tables/silver.verification");
        using var status = await _org1.GetAsync("/api/status");
        using var query = await _org1.PostAsync("/api/query", new StringContent("""{"sql": "SELECT * FROM gold.crm_metrics_daily"}""", Encoding.UTF8, "application/json"));
        using var run = await _org1.PostAsync("/api/runs", null);

        Assert.Equal(Tables.Order(StringComparer.Ordinal), listed);
        Assert.Equal(HttpStatusCode.Forbidden, silver.StatusCode);
        Assert.Contains("API key 'crm_org1' may not read silver.verification", Error(await silver.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (status.StatusCode, query.StatusCode, run.StatusCode));
        Assert.Contains("needs the operator token", Error(await query.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, (await _server!.Json("/api/runs")).GetArrayLength());
    }

    /// <summary>
    /// A thousand random reads as ORG1 — any of its tables, filters on any column with other organizations' values,
    /// orders, page sizes, counts, and every page of one read in ten — give only ORG1's rows, and exactly the rows and
    /// counts that ORG1's share of the table gives.
    /// </summary>
    [Fact]
    public async Task AKeyScopedToOrg1_NeverSeesAnotherOrganization_InAThousandRandomReads()
    {
        var random = new Random(1004);
        var columns = Tables.ToDictionary(table => table, table => Direct(
            $"SELECT column_name || '|' || data_type FROM information_schema.columns WHERE table_schema || '.' || table_name = '{table}' ORDER BY ordinal_position")
            .Select(text => text.Split('|')).Select(parts => (Name: parts[0], Type: parts[1])).ToList());
        var values = columns.SelectMany(table => table.Value.Select(column => (table.Key, column.Name)))
            .ToDictionary(item => item, item => Direct($"SELECT DISTINCT CAST({item.Name} AS VARCHAR) FROM {item.Key} WHERE {item.Name} IS NOT NULL ORDER BY 1 LIMIT 50"));
        string[] operators = ["eq", "ne", "lt", "ge", "in", "null", "notnull"];
        var (rowsSeen, followed) = (0, 0);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var table = Tables[random.Next(Tables.Length)];
            var filters = Enumerable.Range(0, random.Next(0, 3)).Select(_ =>
            {
                var column = columns[table][random.Next(columns[table].Count)];
                var pool = values[(table, column.Name)];
                var op = operators[random.Next(operators.Length)];
                var value = op switch
                {
                    "null" or "notnull" => null,
                    "in" => string.Join(',', Enumerable.Range(0, random.Next(1, 4)).Select(_ => pool[random.Next(pool.Count)])),
                    // organization_id is asked for by value half the time: mostly another organization's.
                    _ when column.Name == "organization_id" => pool[random.Next(pool.Count)],
                    _ => pool[random.Next(pool.Count)],
                };
                return (Column: column, Op: op, Value: value);
            }).ToList();
            var order = columns[table][random.Next(columns[table].Count)].Name;
            var pageSize = random.Next(1, 60);
            var query = $"/api/tables/{table}?count=true&page_size={pageSize}&order={(random.Next(2) == 0 ? "-" : "")}{order}"
                + string.Concat(filters.Select(filter => $"&{filter.Column.Name}={Uri.EscapeDataString(filter.Op + (filter.Value is null ? "" : ":" + filter.Value))}"));
            var expected = ExpectedCount(table, filters);
            var follow = attempt % 10 == 0;
            var seen = 0;
            string? after = null;
            do
            {
                using var response = await _org1!.GetAsync(query + (after is null ? "" : "&after=" + after));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for {query}: {text}");
                var page = JsonDocument.Parse(text).RootElement;
                var rows = page.GetProperty("rows").EnumerateArray().ToList();
                Assert.All(rows, row => Assert.Equal("ORG1", row.GetProperty("organization_id").GetString()));
                Assert.Equal(expected, page.GetProperty("total").GetInt64());
                Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Total-Count").Single());
                seen += rows.Count;
                rowsSeen += rows.Count;
                after = page.GetProperty("next").GetString();
            }
            while (follow && after is not null);

            if (follow)
            {
                Assert.Equal(expected, seen);
                followed++;
            }
        }

        // The reads did meet rows, and other organizations' rows were there to be leaked.
        Assert.InRange(rowsSeen, 2000, int.MaxValue);
        Assert.Equal(100, followed);
        Assert.Equal(["ORG1", "ORG2", "ORG3", "ORG4"], Direct("SELECT DISTINCT organization_id FROM gold.crm_actions_open_snapshot ORDER BY 1"));
    }

    /// <summary>A cursor made by the operator at another organization's row leads ORG1 on through ORG1's rows only.</summary>
    [Fact]
    public async Task AForeignCursor_LeadsOnlyThroughTheKeysOwnRows()
    {
        const string Read = "/api/tables/gold.crm_actions_open_snapshot?order=organization_id,id_action&columns=organization_id,id_action&page_size=5";
        var operatorPage = await _server!.Json(Read + "&organization_id=eq:ORG3");
        var cursor = operatorPage.GetProperty("next").GetString()!;

        var page = JsonDocument.Parse(await _org1!.GetStringAsync(Read + "&after=" + cursor)).RootElement;
        var org1Page = JsonDocument.Parse(await _org1.GetStringAsync(Read)).RootElement;

        // Past ORG3's fifth row in this order there are ORG3's and ORG4's rows, and nothing of ORG1's.
        Assert.Empty(page.GetProperty("rows").EnumerateArray());
        Assert.Equal(5, org1Page.GetProperty("rows").GetArrayLength());
        Assert.All(org1Page.GetProperty("rows").EnumerateArray(), row => Assert.Equal("ORG1", row.GetProperty("organization_id").GetString()));
    }

    /// <summary>The operator's answer to a question, cached first, is never the key's answer to the same question.</summary>
    [Fact]
    public async Task TheSameQuestion_IsCachedPerCaller()
    {
        const string Read = "/api/tables/gold.crm_metrics_daily?order=organization_id,location_id,data_referencia&page_size=1000";
        using var byOperator = await _server!.Client.GetAsync(Read);
        using var byOperatorAgain = await _server.Client.GetAsync(Read);
        using var byKey = await _org1!.GetAsync(Read);
        using var byKeyAgain = await _org1.GetAsync(Read);

        var all = JsonDocument.Parse(await byOperator.Content.ReadAsStringAsync()).RootElement.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("organization_id").GetString()).ToList();
        var org1 = JsonDocument.Parse(await byKeyAgain.Content.ReadAsStringAsync()).RootElement.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("organization_id").GetString()).ToList();
        Assert.Contains("ORG2", all);
        Assert.NotEmpty(org1);
        Assert.All(org1, organization => Assert.Equal("ORG1", organization));
        Assert.NotEqual(byOperator.Headers.ETag, byKey.Headers.ETag);
        Assert.Equal(byKey.Headers.ETag, byKeyAgain.Headers.ETag);
        var hits = Metric(await _server.Client.GetStringAsync("/metrics"), "alquimia_read_cache_requests_total{result=\"hit\"}");
        Assert.True(hits >= 2, $"{hits} hits");
    }

    [Fact]
    public async Task AKeyOverItsRate_Gets429_WithRetryAfter_AndTheOthersGoOn()
    {
        using var limited = Client(LimitedKey);
        var statuses = new List<HttpStatusCode>();
        for (var request = 0; request < 4; request++)
        {
            using var response = await limited.GetAsync("/api/tables");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
                Assert.Contains("over its rate of 3 requests per 1h", Error(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            }
        }

        using var other = await _org1!.GetAsync("/api/tables");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, Metric(await _server!.Client.GetStringAsync("/metrics"), "alquimia_api_refused_requests_total{caller=\"limitada\",reason=\"rate_limited\"}"));
    }

    [Fact]
    public async Task Browsers_OfTheConfiguredOriginOnly_MayCall()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/tables/gold.crm_metrics_daily")
        {
            Headers = { { "Origin", "https://crm.example.com" }, { "Access-Control-Request-Method", "GET" }, { "Access-Control-Request-Headers", "authorization" } },
        };
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/tables") { Headers = { { "Origin", "https://evil.example.net" } } };
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/tables") { Headers = { { "Origin", "https://crm.example.com" } } };
        using var anonymous = new HttpClient { BaseAddress = new Uri(_server!.Address) };

        using var preflightAnswer = await anonymous.SendAsync(preflight);
        using var foreignAnswer = await _org1!.SendAsync(foreign);
        using var allowedAnswer = await _org1.SendAsync(allowed);

        Assert.Equal(HttpStatusCode.NoContent, preflightAnswer.StatusCode);
        Assert.Equal("https://crm.example.com", preflightAnswer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(foreignAnswer.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("https://crm.example.com", allowedAnswer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", allowedAnswer.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiDescribesItself_WithoutAToken_AndItsReferencePageLoadsNothingFromTheInternet()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(_server!.Address) };

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var page = await anonymous.GetStringAsync("/scalar");

        var read = document.GetProperty("paths").GetProperty("/api/tables/{relation}").GetProperty("get");
        Assert.Equal(
            ["after", "columns", "count", "format", "order", "page_size", "relation"],
            read.GetProperty("parameters").EnumerateArray().Select(parameter => parameter.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/runs", out _));
        Assert.Contains("\"url\":\"openapi/v1.json\"", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"https?://", page);
        foreach (var script in System.Text.RegularExpressions.Regex.Matches(page, "src=\"([^\"]+)\"").Select(match => match.Groups[1].Value))
        {
            using var asset = await anonymous.GetAsync(new Uri(new Uri(_server.Address + "/scalar/"), script));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }

    [Fact]
    public async Task AServerWithoutCors_AnswersNoBrowserOfAnotherSite()
    {
        await _server!.StopAsync();
        var yml = Path.Combine(_project!.Directory, "alquimia.yml");
        File.WriteAllText(yml, File.ReadAllText(yml).Replace("  cors:\n    origins: [https://crm.example.com]\n", "", StringComparison.Ordinal));
        await using var plain = await TestServer.StartAsync(ProjectLoader.Load(_project.Directory), options => options with { Environment = _ => Org1Key });
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/tables") { Headers = { { "Origin", "https://crm.example.com" } } };

        using var answer = await plain.Client.SendAsync(allowed);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ARowFilterThatDoesNotFitItsTable_StopsTheStart_NamingTheKeyAndTheTable()
    {
        await _server!.StopAsync();
        var yml = Path.Combine(_project!.Directory, "alquimia.yml");
        File.WriteAllText(yml, File.ReadAllText(yml).Replace(
            "gold.crm_action_priorities_daily: organization_id = 'ORG1'", "gold.crm_action_priorities_daily: organizacao = 'ORG1'", StringComparison.Ordinal));
        var project = ProjectLoader.Load(_project.Directory);

        var error = Assert.Throws<AlquimiaException>(() => AlquimiaServer.Build(project, new ServerOptions("http://127.0.0.1:0", TestServer.Token) { Environment = _ => Org1Key }));
        var missing = Assert.Throws<AlquimiaException>(() => AlquimiaServer.Build(_project, new ServerOptions("http://127.0.0.1:0", TestServer.Token) { Environment = _ => null }));

        Assert.Contains("row filter of API key 'crm_org1' on gold.crm_action_priorities_daily (organizacao = 'ORG1') does not fit the table", error.Message, StringComparison.Ordinal);
        Assert.Contains("organizacao", error.Message, StringComparison.Ordinal);
        Assert.Contains("environment variable CRM_KEY_ORG1, which is not set", missing.Message, StringComparison.Ordinal);
        // Neither start kept the warehouse: it opens again.
        await using var again = await TestServer.StartAsync(_project, options => options with { Environment = _ => Org1Key });
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(_server!.Address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>ORG1's rows of <paramref name="table"/> that the filters select, counted with the values bound as the API binds them.</summary>
    private long ExpectedCount(string table, List<((string Name, string Type) Column, string Op, string? Value)> filters)
    {
        var parameters = new List<object?>();
        string Bound(string value, string type)
        {
            parameters.Add(value);
            return $"CAST(${parameters.Count} AS {type})";
        }

        var conditions = filters.Select(filter => filter.Op switch
        {
            "eq" => $"{filter.Column.Name} = {Bound(filter.Value!, filter.Column.Type)}",
            "ne" => $"{filter.Column.Name} <> {Bound(filter.Value!, filter.Column.Type)}",
            "lt" => $"{filter.Column.Name} < {Bound(filter.Value!, filter.Column.Type)}",
            "ge" => $"{filter.Column.Name} >= {Bound(filter.Value!, filter.Column.Type)}",
            "in" => $"{filter.Column.Name} IN ({string.Join(", ", filter.Value!.Split(',').Select(item => Bound(item, filter.Column.Type)))})",
            "null" => $"{filter.Column.Name} IS NULL",
            _ => $"{filter.Column.Name} IS NOT NULL",
        }).Prepend("organization_id = 'ORG1'");
        return Warehouse.Read(connection => Alquimia.Warehouse.DuckDb.ConnectionExtensions.Scalar<long>(
            connection, $"SELECT count(*) FROM {table} WHERE {string.Join(" AND ", conditions)}", default, [.. parameters]));
    }

    private static string Error(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;

    private static double Metric(string exported, string series) =>
        exported.Split('\n').Where(line => line.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(line => double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();

    private Alquimia.Warehouse.EmbeddedWarehouse Warehouse => _server!.App.Services.GetRequiredService<Alquimia.Warehouse.EmbeddedWarehouse>();

    private List<string> Direct(string sql) => Warehouse.Read(connection => WarehouseRows.Of(connection, sql));
}
