using System.Net;
using System.Text;
using System.Text.Json;
using Alquimia.Examples.Crm;
using Alquimia.Projects;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Scheduling;
using Alquimia.Tests.Warehouse.DuckDb;
using Microsoft.Extensions.DependencyInjection;

namespace Alquimia.Tests.Serving;

/// <summary>
/// The read API of <c>alquimia serve</c> on seed 004's CRM project: the tables with their descriptions, pages that
/// follow each other to exactly the table's rows, filters that equal the same SQL run directly, and whatever a caller
/// sends as a filter answered with a 400 that says why or with the right rows, never as SQL.
/// </summary>
public sealed class ReadApiTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private Project? _project;
    private TestServer? _server;

    public async Task InitializeAsync()
    {
        _project = await ServedCrm.BuildAsync(_directory.Path);
        _server = await TestServer.StartAsync(_project);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Tables_AreListed_WithTheProjectsDescriptions()
    {
        var tables = await _server!.Json("/api/tables");

        var metrics = tables.EnumerateArray().Single(table => table.GetProperty("name").GetString() == "gold.crm_metrics_daily");
        Assert.Equal("gold", metrics.GetProperty("layer").GetString());
        Assert.StartsWith("Métricas do dashboard", metrics.GetProperty("description").GetString(), StringComparison.Ordinal);
        var column = metrics.GetProperty("columns").EnumerateArray().Single(item => item.GetProperty("name").GetString() == "total_controles_criticos");
        Assert.Equal(("BIGINT", "Respostas a controles críticos"), (column.GetProperty("type").GetString(), column.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Pages_FollowEachOther_ToExactlyTheTablesRows_InTheOrderAsked()
    {
        var rows = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await _server!.Json("/api/tables/gold.crm_actions_open_snapshot?order=due_date,-organization_id&columns=id_action,due_date,organization_id&page_size=37"
                + (after is null ? "" : "&after=" + after));
            rows.AddRange(page.GetProperty("rows").EnumerateArray().Select(row =>
                $"{row.GetProperty("id_action").GetInt64()}|{row.GetProperty("due_date").GetString()}|{row.GetProperty("organization_id").GetString()}"));
            after = page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        var expected = Direct("SELECT id_action, CAST(due_date AS VARCHAR), organization_id FROM gold.crm_actions_open_snapshot ORDER BY due_date, organization_id DESC, rowid");
        Assert.Equal(expected, rows);
        Assert.Equal((expected.Count + 36) / 37, pages);
    }

    [Fact]
    public async Task Filters_GiveTheRowsTheSameSqlGives_AndCsvToo()
    {
        var filtered = await _server!.Json(
            "/api/tables/gold.crm_actions_open_snapshot?organization_id=eq:ORG1&due_date=lt:2026-11-10&tipo=in:corretiva,melhoria&columns=id_action&order=id_action&page_size=1000");
        using var csv = await _server.Client.GetAsync("/api/tables/gold.crm_metrics_daily?format=csv&organization_id=eq:ORG2&order=data_referencia,location_id&columns=data_referencia,location_id,total_verificacoes");

        Assert.Equal(
            Direct("SELECT id_action FROM gold.crm_actions_open_snapshot WHERE organization_id = 'ORG1' AND due_date < DATE '2026-11-10' AND tipo IN ('corretiva', 'melhoria') ORDER BY id_action"),
            filtered.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("id_action").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("data_referencia,location_id,total_verificacoes", lines[0]);
        Assert.Equal(
            Direct("SELECT concat_ws(',', data_referencia, location_id, total_verificacoes) FROM gold.crm_metrics_daily WHERE organization_id = 'ORG2' ORDER BY data_referencia, location_id"),
            lines[1..]);
    }

    [Fact]
    public async Task TheETag_ChangesExactlyWhenARunCommitsTheTable_AndTheCacheIsNeverStale()
    {
        const string Metrics = "/api/tables/gold.crm_metrics_daily?order=data_referencia,location_id&columns=data_referencia,location_id,total_verificacoes&page_size=1000";
        const string Snapshot = "/api/tables/gold.crm_actions_open_snapshot?page_size=5";
        using var first = await _server!.Client.GetAsync(Metrics);
        using var second = await _server.Client.GetAsync(Metrics);
        var etag = first.Headers.ETag!;
        var snapshotTag = (await _server.Client.GetAsync(Snapshot)).Headers.ETag!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, Metrics) { Headers = { IfNoneMatch = { etag } } };
        using var notModified = await _server.Client.SendAsync(conditional);

        Assert.Equal(etag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("", await notModified.Content.ReadAsStringAsync());

        // A new day lands and a run commits the metrics (not the snapshot): the metrics' answer is the new one at once.
        CrmGenerator.GenerateNextDay(_project!.LakePath, ServedCrm.Generator);
        using (var accepted = await _server.Client.PostAsync("/api/runs?select=%2Bgold.crm_metrics_daily&run_date=2026-11-11", null))
        {
            accepted.EnsureSuccessStatusCode();
        }

        await _server.WaitFor("/api/runs", json => json.GetArrayLength() == 2 && json[0].GetProperty("status").GetString() == "succeeded");
        using var again = new HttpRequestMessage(HttpMethod.Get, Metrics) { Headers = { IfNoneMatch = { etag } } };
        using var changed = await _server.Client.SendAsync(again);
        var rows = JsonDocument.Parse(await changed.Content.ReadAsStringAsync()).RootElement.GetProperty("rows").EnumerateArray()
            .Select(row => $"{row.GetProperty("data_referencia").GetString()}|{row.GetProperty("location_id").GetString()}|{row.GetProperty("total_verificacoes").GetInt64()}");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(Direct("SELECT data_referencia, location_id, total_verificacoes FROM gold.crm_metrics_daily ORDER BY data_referencia, location_id, rowid"), rows);
        Assert.Contains(rows, row => row.StartsWith("2026-11-11|", StringComparison.Ordinal));
        Assert.Equal(snapshotTag, (await _server.Client.GetAsync(Snapshot)).Headers.ETag);
        var exported = await _server.Client.GetStringAsync("/metrics");
        Assert.Contains("alquimia_read_cache_requests_total{result=\"hit\"}", exported, StringComparison.Ordinal);
    }

    /// <summary>
    /// Readers asking the same question all through a run that commits the table: once the run has committed, every
    /// answer is the new one. An answer read before the commit and put in the cache after it would show here as the
    /// old rows (ReadCacheTests forces that order on the cache itself).
    /// </summary>
    [Fact]
    public async Task ReadsAllThroughACommit_NeverLeaveAStaleAnswerInTheCache()
    {
        const string Metrics = "/api/tables/gold.crm_metrics_daily?order=data_referencia,location_id&columns=data_referencia,location_id,total_verificacoes&page_size=1000";
        CrmGenerator.GenerateNextDay(_project!.LakePath, ServedCrm.Generator);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                using var response = await _server!.Client.GetAsync(Metrics);
                response.EnsureSuccessStatusCode();
                reads++;
            }

            return reads;
        })).ToList();

        using (var accepted = await _server!.Client.PostAsync("/api/runs?select=%2Bgold.crm_metrics_daily&run_date=2026-11-11", null))
        {
            accepted.EnsureSuccessStatusCode();
        }

        await _server.WaitFor("/api/runs", json => json.GetArrayLength() == 2 && json[0].GetProperty("status").GetString() == "succeeded");
        await stop.CancelAsync();
        var reads = (await Task.WhenAll(readers)).Sum();

        var expected = Direct("SELECT data_referencia, location_id, total_verificacoes FROM gold.crm_metrics_daily ORDER BY data_referencia, location_id, rowid");
        Assert.Contains(expected, row => row.StartsWith("2026-11-11|", StringComparison.Ordinal));
        for (var again = 0; again < 3; again++)
        {
            var page = await _server.Json(Metrics);
            Assert.Equal(expected, page.GetProperty("rows").EnumerateArray()
                .Select(row => $"{row.GetProperty("data_referencia").GetString()}|{row.GetProperty("location_id").GetString()}|{row.GetProperty("total_verificacoes").GetInt64()}"));
        }

        Assert.True(reads > 10, $"only {reads} reads during the run");
    }

    [Theory]
    [InlineData("/api/tables/gold.crm_metrics_daily?organizacao=eq:ORG1", "has no column 'organizacao'")]
    [InlineData("/api/tables/gold.crm_metrics_daily?organization_id=equals:ORG1", "the operator one of eq, ne")]
    [InlineData("/api/tables/gold.crm_metrics_daily?data_referencia=eq:ontem", "does not fit its column")]
    [InlineData("/api/tables/gold.crm_metrics_daily?total_perguntas=gt:99999999999999999999999", "does not fit its column")]
    [InlineData("/api/tables/gold.crm_metrics_daily?page_size=0", "page_size is '0'")]
    [InlineData("/api/tables/gold.crm_metrics_daily?after=bm90LWEtY3Vyc29y", "'after' is not a cursor")]
    [InlineData("/api/tables/gold.crm_metrics_daily?order=-nada", "has no column 'nada' (in order)")]
    [InlineData("/api/tables/gold.tabela_nenhuma", "There is no table or view gold.tabela_nenhuma")]
    public async Task ABadRequest_IsA400_ThatSaysWhy(string path, string reason)
    {
        using var response = await _server!.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A thousand generated filters — SQL fragments, quotes, comments, unicode, huge values, as values and as column
    /// names — each answered with a 400 that says why (or Kestrel's 414 for a request line over 8 KB) or with exactly
    /// the rows the same filter gives as a bound parameter; and the warehouse is unchanged after all of them.
    /// </summary>
    [Fact]
    public async Task AThousandHostileFilters_AreRefusedOrAnsweredCorrectly_AndNeverRunAsSql()
    {
        string[] fragments =
        [
            "'", "\"", "--", "/*", "*/", ";", " OR 1=1", " DROP TABLE gold.crm_metrics_daily", "UNION SELECT * FROM _alquimia.runs", "ORG1", "ORG2", "%", "_",
            "\\", "\0", "ção", "🙂", "日本", " ", ",", ":", "eq:", "null", "1", "2026-11-05", "$1", "?", "CAST(", ")", "x'00'", new string('A', 2000), new string('B', 5000),
        ];
        var random = new Random(2026);
        var before = Direct("SELECT count(*) FROM gold.crm_metrics_daily");
        var operators = new[] { "eq", "ne", "lt", "gt", "like", "in" };
        var (answered, refused) = (0, 0);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var text = new StringBuilder();
            for (var piece = random.Next(1, 5); piece > 0; piece--)
            {
                text.Append(fragments[random.Next(fragments.Length)]);
            }

            var value = text.ToString();
            var op = operators[random.Next(operators.Length)];
            // One in five goes in as a column name, the others as the value of organization_id or data_referencia.
            var column = attempt % 5 == 0 ? value : attempt % 2 == 0 ? "organization_id" : "data_referencia";
            using var response = await _server!.Client.GetAsync(
                $"/api/tables/gold.crm_metrics_daily?{Uri.EscapeDataString(column)}={Uri.EscapeDataString(op + ":" + value)}&columns=location_id&order=data_referencia,location_id&page_size=1000");
            var answer = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.RequestUriTooLong)
            {
                continue; // Kestrel's own limit (8 KB of request line), before any of ours
            }

            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {column}={op}:{value[..Math.Min(value.Length, 200)]}: {answer}");
            var body = JsonDocument.Parse(answer).RootElement;
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
                refused++;
                continue;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(column is "organization_id" or "data_referencia", $"a filter on column '{column}' was answered");
            Assert.Equal(Expected(column, op, value), body.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("location_id").GetString()!).ToList());
            answered++;
        }

        // Both kinds were met many times: the generator is not all refusals, nor all harmless.
        Assert.InRange(answered, 100, 900);
        Assert.InRange(refused, 100, 900);
        Assert.Equal(before, Direct("SELECT count(*) FROM gold.crm_metrics_daily"));
    }

    /// <summary>What the filter gives with its value bound as a parameter, as DuckDB compares it.</summary>
    private List<string> Expected(string column, string op, string value)
    {
        var type = column == "data_referencia" ? "DATE" : "VARCHAR";
        var (condition, parameters) = op switch
        {
            "eq" => ($"{column} = CAST($1 AS {type})", new object?[] { value }),
            "ne" => ($"{column} <> CAST($1 AS {type})", [value]),
            "lt" => ($"{column} < CAST($1 AS {type})", [value]),
            "gt" => ($"{column} > CAST($1 AS {type})", [value]),
            "like" => ($"CAST({column} AS VARCHAR) LIKE $1", [value]),
            _ => InList(column, type, value),
        };
        return Warehouse.Read(connection => Alquimia.Warehouse.DuckDb.ConnectionExtensions.Query(
            connection, $"SELECT location_id FROM gold.crm_metrics_daily WHERE {condition} ORDER BY data_referencia, location_id, rowid",
            reader => reader.GetString(0), default, parameters));
    }

    private static (string, object?[]) InList(string column, string type, string value)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ($"{column} IN ({string.Join(", ", items.Select((_, index) => $"CAST(${index + 1} AS {type})"))})", items.Cast<object?>().ToArray());
    }

    /// <summary>The server's own warehouse: the same SQL, run directly beside the API.</summary>
    private Alquimia.Warehouse.EmbeddedWarehouse Warehouse => _server!.App.Services.GetRequiredService<Alquimia.Warehouse.EmbeddedWarehouse>();

    private List<string> Direct(string sql) => Warehouse.Read(connection => WarehouseRows.Of(connection, sql));
}
