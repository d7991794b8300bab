using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Alquimia.Examples.VCredit;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Bench;

/// <summary>
/// <c>alquimia serve</c> on the V-Credit project, as its own process: its CPU and memory while it waits for the next
/// slot (fresh, and after a full run), and the same full run sent to it over HTTP against `alquimia run` in a process
/// of its own. Each run gets a fresh warehouse over one shared lake, and the two hosts alternate, repetition by
/// repetition. A run's time is the one it records (_alquimia.runs: start to end) and the time its caller waited.
/// </summary>
internal sealed class ServerBenchmark : IBenchmark
{
    private const string Token = "bench-token";
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(30);

    public string Name => "server";

    public string Description => "alquimia serve: idle CPU and RSS with V-Credit loaded, and a full run through the server against the CLI (--rows N chamados; default 1M)";

    public void Run(BenchmarkOptions options)
    {
        var rows = options.Rows == BenchmarkOptions.DefaultRows ? 1_000_000 : options.Rows;
        var directory = Directory.CreateTempSubdirectory("alquimia-bench-server-").FullName;
        try
        {
            var lake = Path.Combine(directory, "lake");
            VCreditGenerator.Generate(lake, new VCreditGeneratorOptions { Rows = rows, Days = 30 });
            Console.WriteLine($"Generated {Format.Count(rows)} chamados.");

            var idle = new ResultTable("server", "CPU, % of a core", "RSS now", "goal");
            var runs = new List<(string Host, double Recorded, double Waited)>();
            for (var repetition = 0; repetition < Math.Max(1, options.Repetitions); repetition++)
            {
                // Alternate which host goes first: the machine's state (page cache, another tenant) changes over time.
                var order = repetition % 2 == 0 ? new[] { "server", "cli" } : ["cli", "server"];
                foreach (var host in order)
                {
                    var project = Project(directory, lake, $"{host}-{repetition}");
                    runs.Add(host == "server" ? ThroughServer(project, repetition == 0 ? idle : null) : ByCli(project));
                }
            }

            idle.Print($"alquimia serve idle, V-Credit loaded, over {IdleWindow.TotalSeconds:N0} s");
            // The goal is judged on the medians: both hosts run the same code, so their difference is within the
            // noise of a shared machine, and the best of a few runs follows that noise more than the median does.
            var table = new ResultTable("host", "run, recorded s (median)", "best s", "waited s (median)", "against the CLI (median)");
            var cli = Median(runs.Where(run => run.Host == "cli").Select(run => run.Recorded));
            foreach (var group in runs.GroupBy(run => run.Host))
            {
                var median = Median(group.Select(run => run.Recorded));
                var apart = median / cli - 1;
                table.Add(group.Key, Seconds(median), Seconds(group.Min(run => run.Recorded)), Seconds(Median(group.Select(run => run.Waited))),
                    Format.Percent(apart) + (group.Key == "server" && Math.Abs(apart) > 0.03 ? " MISSED (±3%)" : ""));
            }

            table.Print($"V-Credit full run at {Format.Count(rows)} chamados: through alquimia serve vs alquimia run");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A copy of the V-Credit project in <paramref name="name"/>, with its own warehouse and the shared lake.</summary>
    private static string Project(string directory, string lake, string name)
    {
        var folder = Path.Combine(directory, name);
        VCreditExample.WriteProjectTo(folder);
        var file = Path.Combine(folder, "alquimia.yml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\nlake: lake\n", $"\nlake: {lake}\n", StringComparison.Ordinal));
        return folder;
    }

    private static (string, double, double) ThroughServer(string project, ResultTable? idle)
    {
        var port = FreePort();
        using var server = Cli(["serve", "-p", project, "--urls", $"http://127.0.0.1:{port}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        try
        {
            WaitUntilReady(http, server);
            if (idle is not null)
            {
                Thread.Sleep(TimeSpan.FromSeconds(5));
                Idle(idle, "fresh", server, goal: true);
            }

            var waited = Stopwatch.StartNew();
            using var accepted = http.PostAsync("/api/runs", null).GetAwaiter().GetResult();
            var id = Json(accepted).GetProperty("request_id").GetString();
            while (Json(http.GetAsync($"/api/requests/{id}").GetAwaiter().GetResult()).GetProperty("state").GetString() is not ("finished" or "not_run"))
            {
                Thread.Sleep(100);
            }

            waited.Stop();
            if (idle is not null)
            {
                Thread.Sleep(TimeSpan.FromSeconds(5));
                Idle(idle, "after a full run", server, goal: false);
            }

            Stop(server);
            return ("server", RecordedSeconds(project), waited.Elapsed.TotalSeconds);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    private static (string, double, double) ByCli(string project)
    {
        var waited = Stopwatch.StartNew();
        using var run = Cli(["run", "-p", project]);
        run.WaitForExit();
        waited.Stop();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"alquimia run exited with {run.ExitCode}.");
        }

        return ("cli", RecordedSeconds(project), waited.Elapsed.TotalSeconds);
    }

    /// <summary>The server's CPU time over <see cref="IdleWindow"/>, as a share of one core, and its RSS at the end.</summary>
    private static void Idle(ResultTable table, string state, Process server, bool goal)
    {
        server.Refresh();
        var cpu = server.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Thread.Sleep(IdleWindow);
        server.Refresh();
        var share = (server.TotalProcessorTime - cpu) / wall.Elapsed;
        var rss = server.WorkingSet64;
        table.Add(state, (share * 100).ToString("N2", CultureInfo.InvariantCulture) + "%", Format.Megabytes(rss),
            goal ? $"CPU < 1%{(share < 0.01 ? "" : " MISSED")}, RSS < 150 MB{(rss < 150L * 1024 * 1024 ? "" : " MISSED")}" : "(DuckDB keeps its buffers)");
    }

    private static double RecordedSeconds(string project)
    {
        using var connection = new CheckedConnection(new DuckDbSettings { DataSource = Path.Combine(project, "warehouse.duckdb"), ReadOnly = true });
        connection.Open();
        using var command = connection.CreateCommand("SELECT date_diff('millisecond', started_at, finished_at), status FROM _alquimia.runs");
        using var reader = command.ExecuteReader();
        reader.Read();
        if (reader.GetString(1) != "succeeded")
        {
            throw new InvalidOperationException($"The run of {project} ended {reader.GetString(1)}.");
        }

        return reader.GetInt64(0) / 1000.0;
    }

    /// <summary>The CLI built beside this program, as its own process, with the operator token set.</summary>
    private static Process Cli(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Alquimia.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ALQUIMIA_TOKEN"] = Token;
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>SIGTERM, as a service manager stops it, then waits for it to exit.</summary>
    private static void Stop(Process server)
    {
        using var kill = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        server.WaitForExit(60_000);
    }

    private static void WaitUntilReady(HttpClient http, Process server)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"alquimia serve exited with {server.ExitCode} before it was ready.");
            }

            try
            {
                if (http.GetAsync("/readyz").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException("alquimia serve was not ready after a minute.");
    }

    private static JsonElement Json(HttpResponseMessage response) =>
        JsonDocument.Parse(response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Seconds(double value) => value.ToString("N1", CultureInfo.InvariantCulture);
}
