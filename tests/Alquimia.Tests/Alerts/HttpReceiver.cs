using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alquimia.Tests.Alerts;

/// <summary>
/// A real HTTP server on 127.0.0.1 that keeps every JSON body POSTed to it, by path: the webhook and Slack receivers of
/// the alert tests. <see cref="FailFirst"/> makes it answer 500 to the first requests, as a receiver that is down.
/// </summary>
internal sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, JsonElement Body)> _received = new();
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

            var body = await JsonDocument.ParseAsync(context.Request.Body);
            receiver._received.Enqueue((context.Request.Path.Value!, body.RootElement.Clone()));
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>The bodies POSTed to <paramref name="path"/>, in order.</summary>
    public IReadOnlyList<JsonElement> At(string path) => [.. _received.Where(item => item.Path == path).Select(item => item.Body)];

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
