using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Alquimia.Examples.Crm;
using Alquimia.Projects;
using Alquimia.Server;
using Alquimia.Serving;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alquimia.Bench;

/// <summary>
/// The read API of <c>alquimia serve</c> on seed 004's CRM project, in this process: a cached page under load (wrk)
/// against a bare Kestrel endpoint sending the same bytes; an uncached read of crm_metrics_daily against the same
/// numbers aggregated from the source tables, as the seed's original views did; and the cache's hit ratio over a day
/// of 1,000 users refreshing their dashboards 10 times each, after the morning's refresh emptied it.
/// </summary>
internal sealed class ServingBenchmark : IBenchmark
{
    private const string Token = "bench-token";
    private const int Organizations = 20;
    private const int Days = 35;
    private const string Page = "/api/tables/gold.crm_actions_open_snapshot?order=due_date,id_action&page_size=100";

    public string Name => "serving";

    public string Description => "the read API on seed 004's CRM: a cached page against bare Kestrel (wrk), crm_metrics_daily against its aggregation from the sources, a day's hit ratio (--rows N verifications a day; default 2,000)";

    public void Run(BenchmarkOptions options)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.Error.WriteLine("serving needs wrk, from Debian's packages: sudo apt-get install -y wrk");
            return;
        }

        var perDay = options.Rows == BenchmarkOptions.DefaultRows ? 2_000 : (int)options.Rows;
        var generator = new CrmGeneratorOptions { Organizations = Organizations, LocationsPerOrganization = 5, VerificationsPerDay = perDay, Days = Days };
        var directory = Directory.CreateTempSubdirectory("alquimia-bench-serving-").FullName;
        try
        {
            var project = Project(directory);
            CrmGenerator.Generate(project.LakePath, generator);
            var app = AlquimiaServer.Build(project, new ServerOptions("http://127.0.0.1:0", Token) { Environment = KeyOf });
            app.StartAsync().GetAwaiter().GetResult();
            try
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
                using var http = Client(address, Token);
                // Five runs, a week apart: each rebuilds its last 7 days of metrics, so the 35 days are all there.
                var build = Stopwatch.StartNew();
                for (var week = 1; week <= Days / 7; week++)
                {
                    RunAndWait(http, generator.StartDate.AddDays((7 * week) - 1));
                }

                var warehouse = app.Services.GetRequiredService<EmbeddedWarehouse>();
                Console.WriteLine($"CRM: {Format.Count(perDay * Days)} verifications over {Days} days, {Organizations} organizations × 5 locations; "
                    + $"{Rows(warehouse, "silver.verification_question")} answers, {Rows(warehouse, "gold.crm_metrics_daily")} rows of crm_metrics_daily, "
                    + $"{Rows(warehouse, "gold.crm_actions_open_snapshot")} of crm_actions_open_snapshot; built in {build.Elapsed.TotalSeconds:N1} s.");

                CachedPageAgainstKestrel(options, address);
                TableAgainstAggregation(options, warehouse, generator.StartDate.AddDays(Days - 1));
                HitRatioOfADay(http, address, project, generator);
            }
            finally
            {
                app.StopAsync().GetAwaiter().GetResult();
                ((IDisposable)app).Dispose();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The CRM project with one API key per organization, each reading its own rows, at a rate no user reaches.</summary>
    private static Project Project(string directory)
    {
        var folder = Path.Combine(directory, "crm");
        CrmExample.WriteProjectTo(folder);
        var keys = string.Concat(Enumerable.Range(1, Organizations).Select(org => $"""
                org{org}:
                  key_env: KEY_ORG{org}
                  tables:
                    gold.*: organization_id = 'ORG{org}'
                  rate_limit: {"{"}requests: 1000000, per: 1s{"}"}

            """));
        File.AppendAllText(Path.Combine(folder, "alquimia.yml"), $"\nserve:\n  api_keys:\n{keys}");
        return ProjectLoader.Load(folder);
    }

    private static string? KeyOf(string variable) =>
        variable.StartsWith("KEY_ORG", StringComparison.Ordinal) ? $"bench-key-{variable.ToLowerInvariant()}-0123456789abcdef" : null;

    /// <summary>wrk on one cached page of ORG1's open actions, and on Kestrel alone sending the same bytes, alternating.</summary>
    private static void CachedPageAgainstKestrel(BenchmarkOptions options, string address)
    {
        var key = KeyOf("KEY_ORG1")!;
        using var http = Client(address, key);
        using var first = http.GetAsync(Page).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        var body = first.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var etag = first.Headers.ETag!.ToString();
        var bare = BareKestrel(body, etag, first.Content.Headers.ContentType!.ToString());
        bare.StartAsync().GetAwaiter().GetResult();
        try
        {
            var bareAddress = bare.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var script = Path.Combine(Path.GetTempPath(), $"alquimia-wrk-{Environment.ProcessId}.lua");
            File.WriteAllText(script, """
                done = function(summary, latency, requests)
                  local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
                  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
                    latency:percentile(50), latency:percentile(95), latency:percentile(99), failed))
                end
                """);
            var results = new List<(string Host, WrkResult Result)>();
            for (var round = 0; round < Math.Max(1, options.Repetitions); round++)
            {
                results.Add(("Kestrel alone", Wrk(script, bareAddress + "/page", key)));
                results.Add(("alquimia serve, cached", Wrk(script, address + Page, key)));
            }

            File.Delete(script);
            var baseline = Median(results.Where(result => result.Host == "Kestrel alone").Select(result => result.Result.RequestsPerSecond));
            var table = new ResultTable("endpoint", "requests/s (median)", "best", "p50 ms", "p95 ms", "p99 ms", "failed", "against Kestrel");
            foreach (var group in results.GroupBy(result => result.Host))
            {
                var median = group.OrderBy(result => result.Result.RequestsPerSecond).ElementAt(group.Count() / 2).Result;
                var ratio = median.RequestsPerSecond / baseline;
                table.Add(group.Key, Format.Count((long)median.RequestsPerSecond), Format.Count((long)group.Max(result => result.Result.RequestsPerSecond)),
                    Milliseconds(median.P50), Milliseconds(median.P95), Milliseconds(median.P99), Format.Count(group.Sum(result => result.Result.Failed)),
                    group.Key == "Kestrel alone" ? "1.00x" : Format.Ratio(ratio) + (ratio < 0.5 ? " MISSED (≥ 0.5x)" : ""));
            }

            table.Print($"A cached 100-row page ({Format.Count(body.Length)} bytes) of ORG1's open actions with its API key, against Kestrel sending the same bytes: wrk -t1 -c32 -d10s, {options.Repetitions} rounds");
        }
        finally
        {
            bare.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)bare).Dispose();
        }
    }

    /// <summary>A web application that only sends <paramref name="body"/>: what the page costs without Alquimia.</summary>
    private static WebApplication BareKestrel(byte[] body, string etag, string contentType)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/page", (HttpContext context) =>
        {
            context.Response.Headers.ETag = etag;
            context.Response.ContentType = contentType;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        return app;
    }

    private sealed record WrkResult(double RequestsPerSecond, double P50, double P95, double P99, long Failed);

    private static WrkResult Wrk(string script, string url, string key)
    {
        var start = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t1", "-c32", "-d10s", "-s", script, "-H", $"Authorization: Bearer {key}", url })
        {
            start.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(start)!;
        var output = wrk.StandardOutput.ReadToEnd();
        wrk.WaitForExit();
        var result = output.Split('\n').Single(line => line.StartsWith("RESULT ", StringComparison.Ordinal)).Split(' ')[1..]
            .Select(field => double.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        // wrk gives microseconds; requests over the duration, in microseconds too.
        return new WrkResult(result[0] / (result[1] / 1e6), result[2] / 1000, result[3] / 1000, result[4] / 1000, (long)result[5]);
    }

    /// <summary>
    /// Each organization's last 30 days of metrics, read from crm_metrics_daily as the API reads it on a miss, against
    /// the same rows computed from silver.verification and silver.verification_question, as the seed's views did.
    /// Both answer the same JSON rows (checked before timing), so both pay for the same output.
    /// </summary>
    private static void TableAgainstAggregation(BenchmarkOptions options, EmbeddedWarehouse warehouse, DateOnly lastDay)
    {
        var from = lastDay.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var table = new QualifiedName("gold", "crm_metrics_daily");
        var aggregation = $"""
            SELECT CAST(to_json(m) AS VARCHAR) FROM (
                SELECT CAST(v.verification_date AS DATE) AS data_referencia, v.organization_id, v.location_id,
                       count(DISTINCT v.id_verification) AS total_verificacoes,
                       count(DISTINCT v.id_verification) FILTER (WHERE NOT q.is_conform) AS verificacoes_nao_conformes,
                       count(q.id_question) FILTER (WHERE q.is_critical) AS total_controles_criticos,
                       count(q.id_question) FILTER (WHERE q.is_critical AND NOT q.is_conform) AS controles_criticos_nao_conformes,
                       count(q.id_question) AS total_perguntas,
                       count(q.id_question) FILTER (WHERE NOT q.is_conform) AS perguntas_nao_conformes
                FROM silver.verification v
                LEFT JOIN silver.verification_question q ON q.id_verification = v.id_verification
                WHERE v.organization_id = $1 AND CAST(v.verification_date AS DATE) BETWEEN DATE '{from}' AND DATE '{to}'
                GROUP BY ALL
                ORDER BY data_referencia, location_id) AS m
            """;
        var organizations = Enumerable.Range(1, Organizations).Select(org => $"ORG{org}").ToList();
        List<string> FromTable(string org) => [.. TablePages.Read(warehouse, TablePages.Parse(table,
            [new("organization_id", "eq:" + org), new("data_referencia", "ge:" + from), new("order", "data_referencia,location_id"), new("page_size", "1000")]), ReadScope.Everything).JsonRows];
        List<string> Aggregated(string org) => warehouse.Read(connection => connection.Query(aggregation, reader => reader.GetString(0), default, org));
        // The same rows, or the comparison means nothing (and the model has drifted from this copy of its SELECT).
        if (!FromTable("ORG1").SequenceEqual(Aggregated("ORG1")))
        {
            throw new InvalidOperationException("crm_metrics_daily and its aggregation from the sources differ for ORG1: update the aggregation to the model's SELECT.");
        }

        var measured = Measure.Interleaved(options,
            new Workload("crm_metrics_daily (the API's uncached read)", organizations.Count, () => organizations.Sum(org => (long)FromTable(org).Count)),
            new Workload("aggregated from the sources (the seed's views)", organizations.Count, () => organizations.Sum(org => (long)Aggregated(org).Count)));
        var result = new ResultTable("query, 20 organizations × 30 days", "best ms", "median ms", "ms per question", "rows", "against the table");
        foreach (var measurement in measured)
        {
            result.Add(measurement.Name, Format.Milliseconds(measurement.Best), Format.Milliseconds(measurement.Median),
                (measurement.Best.TotalMilliseconds / Organizations).ToString("N2", CultureInfo.InvariantCulture), Format.Count(measurement.Checksum),
                Format.Ratio(measurement.Best / measured[0].Best));
        }

        result.Print("An uncached read of crm_metrics_daily against the same numbers aggregated from the source tables (seed 004 claims 20-50x)");
    }

    /// <summary>
    /// A day of the CRM dashboard after the 06:00 refresh: 1,000 users (50 per organization, each with the
    /// organization's key), 10 refreshes each in a shuffled order, 8 at a time. A refresh asks for the last 30 days of
    /// metrics (a third of users for their own location), the day's priorities, and the first page of open actions (a
    /// third go on to the second).
    /// </summary>
    private static void HitRatioOfADay(HttpClient http, string address, Project project, CrmGeneratorOptions generator)
    {
        var day = CrmGenerator.GenerateNextDay(project.LakePath, generator);
        RunAndWait(http, day);
        var afterRefresh = Reads(http);
        var random = new Random(4);
        var users = Enumerable.Range(0, 1000).Select(user => (Org: 1 + (user % Organizations), Location: random.Next(3) == 0 ? 1 + random.Next(5) : 0, GoesOn: random.Next(3) == 0)).ToList();
        var refreshes = users.SelectMany(user => Enumerable.Repeat(user, 10)).OrderBy(_ => random.Next()).ToList();
        var clients = Enumerable.Range(1, Organizations).ToDictionary(org => org, org => Client(address, KeyOf($"KEY_ORG{org}")!));
        var from = day.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var today = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var requests = 0;
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(refreshes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, user =>
        {
            var client = clients[user.Org];
            var location = user.Location == 0 ? "" : $"&location_id=eq:ORG{user.Org}-L{user.Location:00}";
            Get(client, $"/api/tables/gold.crm_metrics_daily?data_referencia=ge:{from}&order=data_referencia,location_id&page_size=1000{location}");
            Get(client, $"/api/tables/gold.crm_action_priorities_daily?data_referencia=eq:{today}");
            var first = Get(client, Page + "&count=true");
            Interlocked.Add(ref requests, 3);
            if (user.GoesOn && first.GetProperty("next").GetString() is { } next)
            {
                Get(client, Page + "&count=true&after=" + next);
                Interlocked.Increment(ref requests);
            }
        });
        clock.Stop();
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        var after = Reads(http);
        var (hits, misses) = (after.Hits - afterRefresh.Hits, after.Misses - afterRefresh.Misses);
        var ratio = (double)hits / (hits + misses);
        var table = new ResultTable("day", "requests", "hits", "misses", "hit ratio", "requests/s", "goal");
        table.Add("1,000 users × 10 refreshes", Format.Count(requests), Format.Count(hits), Format.Count(misses), ratio.ToString("P2", CultureInfo.InvariantCulture),
            Format.Count((long)(requests / clock.Elapsed.TotalSeconds)), ratio >= 0.95 ? "≥ 95%" : "MISSED (≥ 95%)");
        table.Print("The read cache over a day of the dashboard, from empty: the morning's refresh dropped every answer of the tables it committed");
    }

    private static JsonElement Get(HttpClient client, string path)
    {
        using var response = client.GetAsync(path).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        return JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();
    }

    private static (long Hits, long Misses) Reads(HttpClient http)
    {
        var exported = http.GetStringAsync("/metrics").GetAwaiter().GetResult().Split('\n');
        long Series(string result) => exported.Where(line => line.StartsWith($"alquimia_read_cache_requests_total{{result=\"{result}\"}} ", StringComparison.Ordinal))
            .Select(line => (long)double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture)).SingleOrDefault();
        return (Series("hit"), Series("miss"));
    }

    private static void RunAndWait(HttpClient http, DateOnly runDate)
    {
        using var accepted = http.PostAsync($"/api/runs?run_date={runDate:yyyy-MM-dd}", null).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(accepted.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("request_id").GetString();
        while (true)
        {
            var request = Get(http, $"/api/requests/{id}");
            if (request.GetProperty("state").GetString() is "finished" or "not_run")
            {
                if (request.GetProperty("status").GetString() != "succeeded")
                {
                    throw new InvalidOperationException($"The CRM run of {runDate} ended {request}.");
                }

                return;
            }

            Thread.Sleep(100);
        }
    }

    private static string Rows(EmbeddedWarehouse warehouse, string relation) =>
        Format.Count(warehouse.Read(connection => connection.Scalar<long>($"SELECT count(*) FROM {relation}")));

    private static HttpClient Client(string address, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Milliseconds(double value) => value.ToString("N2", CultureInfo.InvariantCulture);
}
