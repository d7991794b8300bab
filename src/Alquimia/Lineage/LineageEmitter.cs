using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Alquimia.Lineage;

/// <summary>
/// Delivers one run's OpenLineage events: appended to the file at once, one line each, flushed; POSTed to the
/// endpoint in order by one background sender, so a slow or dead endpoint never holds a step. Nothing it does fails
/// the run: a failure is logged (naming the endpoint or file) and counted, and disposing waits for the queue at most
/// <see cref="LineageSettings.Timeout"/>, then says how many events were not delivered.
/// </summary>
internal sealed class LineageEmitter : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly LineageSettings _settings;
    private readonly string _runId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _file = new();
    private readonly string? _token;
    private readonly Task _sender;
    private int _queued;
    private int _failed;
    private int _delivered;
    private int _fileFailures;

    public LineageEmitter(LineageSettings settings, string runId, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _runId = runId;
        _time = time;
        _logger = logger;
        if (settings is { ApiKeyEnvironmentVariable: { } variable, Url: { } url })
        {
            _token = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } token ? token : null;
            if (_token is null)
            {
                LogMessages.LineageTokenMissing(logger, variable, url);
            }
        }

        if (settings.File is { } file && Path.GetDirectoryName(file) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        _sender = settings.Url is null ? Task.CompletedTask : Task.Run(SendAllAsync);
    }

    /// <summary>Delivers one event, as JSON text on one line.</summary>
    public void Emit(string json)
    {
        if (_settings.File is { } file)
        {
            Append(file, json);
        }

        if (_settings.Url is not null && _queue.Writer.TryWrite(json))
        {
            Interlocked.Increment(ref _queued);
        }
    }

    private void Append(string file, string json)
    {
        lock (_file)
        {
            try
            {
                using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read);
                stream.Write(Encoding.UTF8.GetBytes(json + "\n"));
                stream.Flush(flushToDisk: true);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                if (_fileFailures++ == 0)
                {
                    LogMessages.LineageFileFailed(_logger, file, error.Message);
                }
            }
        }
    }

    private async Task SendAllAsync()
    {
        var url = _settings.Url!;
        try
        {
            await foreach (var json in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                var reason = await SendAsync(url, json).ConfigureAwait(false);
                if (reason is null)
                {
                    Interlocked.Increment(ref _delivered);
                }
                else if (Interlocked.Increment(ref _failed) == 1)
                {
                    LogMessages.LineageSendFailed(_logger, url, reason);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run ended and its wait is over: what is still queued is counted as not delivered.
        }
    }

    /// <summary>POSTs one event; null when the endpoint took it, else why not.</summary>
    private async Task<string?> SendAsync(Uri url, string json)
    {
        using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        try
        {
            using var response = await Http.SendAsync(request, both.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"it answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return $"no answer within {_settings.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException error)
        {
            return error.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_settings.Url is not null)
        {
            using var wait = new CancellationTokenSource(_settings.Timeout, _time);
            try
            {
                await _sender.WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                await _sender.ConfigureAwait(false);
            }

            var notDelivered = _queued - _delivered;
            if (notDelivered > 0)
            {
                LogMessages.LineageNotDelivered(_logger, notDelivered, _queued, _runId, _settings.Url.ToString());
            }
        }

        if (_fileFailures > 0 && _settings.File is { } file)
        {
            LogMessages.LineageNotDelivered(_logger, _fileFailures, _fileFailures, _runId, file);
        }

        _stop.Dispose();
    }
}
