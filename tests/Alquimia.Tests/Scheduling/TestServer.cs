using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Alquimia.Projects;
using Alquimia.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Alquimia.Tests.Scheduling;

/// <summary><c>alquimia serve</c> in the test's process, listening on a free port of 127.0.0.1, with a client that sends the token.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Token = "s3cret-operator-token";

    private TestServer(WebApplication app, string address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = new Uri(address) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public WebApplication App { get; }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address { get; }

    public HttpClient Client { get; }

    public static async Task<TestServer> StartAsync(Project project, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var options = new ServerOptions("http://127.0.0.1:0", Token);
        var app = AlquimiaServer.Build(project, configure?.Invoke(options) ?? options);
        await app.StartAsync();
        return new TestServer(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task<JsonElement> Json(string path)
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> holds, for at most 30 seconds: runs are asynchronous.</summary>
    public async Task<JsonElement> WaitFor(string path, Func<JsonElement, bool> done)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var json = await Json(path);
            if (done(json))
            {
                return json;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} never reached the expected state: {await Json(path)}");
    }

    /// <summary>Waits until the scheduler waits for a slot: /readyz answers 200.</summary>
    public async Task WaitUntilReady()
    {
        for (var attempt = 0; attempt < 300 && (await Client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>A port of 127.0.0.1 free a moment ago, for a server the test starts.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the server (idempotent): the warehouse is released.</summary>
    public async Task StopAsync() => await App.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
