using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alquimia.Operations;

namespace Alquimia.Server;

/// <summary>How a run sent to a server ended: its id and status, or why it did not run.</summary>
public sealed record RemoteRun(string RequestId, string? RunId, string? Status, string? Error)
{
    public bool Succeeded => Status == "succeeded";
}

/// <summary>
/// A run as the CLI asks a server for it: <c>alquimia run</c>'s options (models as <c>layer.name</c>) and
/// <c>alquimia ingest</c>'s steps and replay.
/// </summary>
public sealed record RemoteRunOptions(string? Select, DateOnly? RunDate)
{
    public bool FullRefresh { get; init; }

    public IReadOnlyList<string> DropHistory { get; init; } = [];

    /// <summary>Exactly these steps, by name, instead of <see cref="Select"/>.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    public bool Replay { get; init; }
}

/// <summary>The CLI's side of a running server: a run sent to its queue, waited for.</summary>
public sealed class ServerClient : IDisposable
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    private readonly HttpClient _http;

    public ServerClient(ServerFile server, string token)
    {
        Server = server;
        _http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public ServerFile Server { get; }

    /// <summary>Queues the run <paramref name="asked"/> describes and waits for it to end; <paramref name="queued"/> hears its request id.</summary>
    public async Task<RemoteRun> RunAsync(RemoteRunOptions asked, Action<string> queued, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (asked.Select is not null)
        {
            query.Add("select=" + Uri.EscapeDataString(asked.Select));
        }

        if (asked.Steps.Count > 0)
        {
            query.Add("steps=" + Uri.EscapeDataString(string.Join(',', asked.Steps)));
        }

        if (asked.RunDate is { } day)
        {
            query.Add("run_date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (asked.FullRefresh)
        {
            query.Add("full_refresh=true");
        }

        if (asked.DropHistory.Count > 0)
        {
            query.Add("drop_history=" + Uri.EscapeDataString(string.Join(',', asked.DropHistory)));
        }

        if (asked.Replay)
        {
            query.Add("replay=true");
        }

        var accepted = await PostAsync("/api/runs" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken).ConfigureAwait(false);
        var id = accepted.GetProperty("request_id").GetString()!;
        queued(id);
        return await WaitAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pauses, resumes (<paramref name="action"/> <c>pause</c>, <c>resume</c>) or triggers a job; a trigger's run is waited for.</summary>
    public async Task<RemoteRun?> JobAsync(string job, string action, Action<string> queued, CancellationToken cancellationToken)
    {
        var answer = await PostAsync($"/api/jobs/{Uri.EscapeDataString(job)}/{action}", cancellationToken).ConfigureAwait(false);
        if (!answer.TryGetProperty("request_id", out var id))
        {
            return null;
        }

        queued(id.GetString()!);
        return await WaitAsync(id.GetString()!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues one run per slot of <paramref name="job"/> with a run date from <paramref name="from"/> to
    /// <paramref name="to"/> not run yet, then waits for each in order; <paramref name="queued"/> hears each request.
    /// </summary>
    public async Task<IReadOnlyList<(DateOnly RunDate, RemoteRun Run)>> BackfillAsync(
        string job, DateOnly from, DateOnly to, Action<string, DateOnly> queued, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(
            string.Create(CultureInfo.InvariantCulture, $"/api/jobs/{Uri.EscapeDataString(job)}/backfill?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"), cancellationToken).ConfigureAwait(false);
        var requests = answer.GetProperty("requests").EnumerateArray()
            .Select(request => (Id: request.GetProperty("request_id").GetString()!, RunDate: DateOnly.Parse(request.GetProperty("run_date").GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
        foreach (var (id, runDate) in requests)
        {
            queued(id, runDate);
        }

        var runs = new List<(DateOnly, RemoteRun)>();
        foreach (var (id, runDate) in requests)
        {
            runs.Add((runDate, await WaitAsync(id, cancellationToken).ConfigureAwait(false)));
        }

        return runs;
    }

    /// <summary>What <c>alquimia status</c> shows, read by the server; <paramref name="runId"/> picks the run whose steps are shown.</summary>
    public Task<ProjectStatus> StatusAsync(string? runId, CancellationToken cancellationToken) =>
        GetAsync<ProjectStatus>("/api/status" + (runId is null ? "" : "?run=" + Uri.EscapeDataString(runId)), cancellationToken);

    /// <summary>What <c>alquimia quality</c> shows, read by the server.</summary>
    public Task<QualityReport> QualityAsync(string? runId, CancellationToken cancellationToken) =>
        GetAsync<QualityReport>("/api/quality" + (runId is null ? "" : "?run=" + Uri.EscapeDataString(runId)), cancellationToken);

    /// <summary>One SELECT (or a relation's first rows), run by the server in a read-only transaction.</summary>
    public async Task<WarehouseQuery> QueryAsync(QueryRequest query, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/api/query", query, ServerJson.Options, cancellationToken).ConfigureAwait(false);
        var answer = (await Read(response, cancellationToken).ConfigureAwait(false)).Deserialize<QueryAnswer>(ServerJson.Options)!;
        return answer.ToQuery();
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return (await Read(response, cancellationToken).ConfigureAwait(false)).Deserialize<T>(ServerJson.Options)
            ?? throw new AlquimiaException($"The server at {Server.Url} answered {path} with nothing.");
    }

    private async Task<JsonElement> PostAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(path, null, cancellationToken).ConfigureAwait(false);
        return await Read(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls the request until its run has ended, or it is known not to run.</summary>
    private async Task<RemoteRun> WaitAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(PollEvery, cancellationToken).ConfigureAwait(false);
            using var response = await _http.GetAsync($"/api/requests/{id}", cancellationToken).ConfigureAwait(false);
            var request = await Read(response, cancellationToken).ConfigureAwait(false);
            if (request.GetProperty("state").GetString() is "finished" or "not_run")
            {
                return new RemoteRun(id, Text(request, "run_id"), Text(request, "status"), Text(request, "error"));
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> Read(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new AlquimiaException(
                $"The server at {Server.Url} (process {Server.ProcessId}) refused the token: set {ServerOptions.TokenVariable} to the one it was started with.");
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            // A refusal of the library's (a bad query, an unknown run) comes as {"error": "..."}: its own words.
            throw new AlquimiaException(ErrorOf(body) ?? $"The server at {Server.Url} answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).RootElement.Clone();
    }

    private static string? ErrorOf(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.ValueKind == JsonValueKind.Object ? Text(root, "error") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
