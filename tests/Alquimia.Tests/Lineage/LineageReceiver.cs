using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alquimia.Tests.Lineage;

/// <summary>A real HTTP endpoint on 127.0.0.1 (Kestrel) taking OpenLineage events as Marquez does: POST /api/v1/lineage, 201.</summary>
internal sealed class LineageReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LineageReceiver(WebApplication app) => _app = app;

    /// <summary>The bodies received, in order, each with its Authorization header.</summary>
    public ConcurrentQueue<(string Body, string? Authorization)> Received { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<LineageReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LineageReceiver(app);
        app.MapPost("/api/v1/lineage", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            receiver.Received.Enqueue((await reader.ReadToEndAsync(), request.Headers.Authorization.FirstOrDefault()));
            return Results.StatusCode(201);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/api/v1/lineage");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
