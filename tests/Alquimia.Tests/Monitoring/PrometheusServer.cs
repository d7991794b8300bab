using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Alquimia.Tests.Scheduling;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Monitoring;

/// <summary>
/// Prometheus from Debian's packages (scripts/test-servers.sh installs it), scraping one target every second, with
/// its own storage folder and web port on 127.0.0.1; killed and deleted at the end.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Process _process;
    private readonly HttpClient _http;

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (<c>host:port</c>) as job <c>alquimia</c>.</summary>
    public PrometheusServer(string target)
    {
        var port = TestServer.FreePort();
        var config = Path.Combine(_folder.Path, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: alquimia
                static_configs:
                  - targets: ['{target}']
            """);
        _process = Process.Start(new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_folder.Path, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>
    /// Runs the PromQL <paramref name="query"/> until its one sample equals <paramref name="expected"/> (for at most 60
    /// seconds: Prometheus starts, then scrapes every second); returns the value it last saw.
    /// </summary>
    public async Task<double?> WaitForValue(string query, double expected)
    {
        double? seen = null;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            seen = await Value(query);
            if (seen is { } value && Math.Abs(value - expected) < 1e-9)
            {
                return value;
            }

            await Task.Delay(200);
        }

        return seen;
    }

    /// <summary>The value of the one sample <paramref name="query"/> returns now; null when it returns none (or Prometheus is not up yet).</summary>
    public async Task<double?> Value(string query)
    {
        try
        {
            using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var result = json.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Prometheus' error for <paramref name="query"/>, or null when it runs.</summary>
    public async Task<string?> ErrorOf(string query)
    {
        using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.GetProperty("status").GetString() == "success" ? null : json.GetProperty("error").GetString();
    }

    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _folder.Dispose();
    }
}
