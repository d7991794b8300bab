using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alquimia.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) that keeps every body POSTed to it, by path, with its Authorization header:
/// the webhook and Slack receivers of the alert tests, the OpenLineage endpoint of the lineage tests.
/// <see cref="FailFirst"/> makes it answer 500 to the first requests, as a receiver that is down.
/// </summary>
internal sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string Body, string? Authorization)> _received = new();
    private int _failuresLeft;

    private HttpReceiver(WebApplication app) => _app = app;

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Every request it answered 500 to, and every one it kept.</summary>
    public int Requests => _requests;

    private int _requests;

    /// <summary>How many of the next requests it answers 500 to.</summary>
    public int FailFirst
    {
        set => Volatile.Write(ref _failuresLeft, value);
    }

    public static async Task<HttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HttpReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver._requests);
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            using var reader = new StreamReader(context.Request.Body);
            receiver._received.Enqueue((context.Request.Path.Value!, await reader.ReadToEndAsync(), context.Request.Headers.Authorization.FirstOrDefault()));
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>The JSON bodies POSTed to <paramref name="path"/>, in order.</summary>
    public IReadOnlyList<JsonElement> At(string path) => [.. Raw(path).Select(item => JsonDocument.Parse(item.Body).RootElement.Clone())];

    /// <summary>The bodies POSTed to <paramref name="path"/> as sent, in order, each with its Authorization header.</summary>
    public IReadOnlyList<(string Body, string? Authorization)> Raw(string path) =>
        [.. _received.Where(item => item.Path == path).Select(item => (item.Body, item.Authorization))];

    /// <summary>Waits (at most 30 seconds) until a body POSTed to <paramref name="path"/> satisfies <paramref name="found"/>, and returns it.</summary>
    public async Task<JsonElement> WaitFor(string path, Func<JsonElement, bool> found)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (At(path).Where(found).ToList() is [var body, ..])
            {
                return body;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Nothing the test waited for reached {path}; it received: {string.Join("\n", At(path))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
