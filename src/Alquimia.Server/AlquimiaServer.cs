using System.Security.Cryptography;
using System.Text;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Alerts;
using Alquimia.Warehouse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alquimia.Server;

/// <summary>
/// <c>alquimia serve</c>: one process that owns the project's warehouse while it runs, runs the jobs on their schedules
/// and the runs asked for over HTTP, one at a time (<see cref="QueuedRuns"/>). Every endpoint but <c>/healthz</c> (and
/// <c>/metrics</c>, unless told) needs the operator token.
/// </summary>
public static class AlquimiaServer
{
    /// <summary>The server of <paramref name="project"/>, built but not started; it opens the warehouse for writing.</summary>
    public static WebApplication Build(Project project, ServerOptions options, Action<ILoggingBuilder>? logging = null)
    {
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new AlquimiaException(
                $"The server needs an operator token: set {ServerOptions.TokenVariable} to a long random secret (e.g. `openssl rand -hex 32`) and give it to whoever calls the API.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        // Made before the warehouse is opened: a secret not set stops the start with nothing held.
        var http = new HttpClient();
        var channels = AlertChannels.Create(project, options.Environment, http);
        var warehouse = EmbeddedWarehouse.Open(project);
        JobRuns.Prepare(warehouse);
        builder.Services.AddSingleton(project);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(warehouse);
        builder.Services.AddSingleton(services => new PipelineRunner(warehouse, options.Time, services.GetRequiredService<ILogger<PipelineRunner>>()));
        var cache = new ReadCache();
        // A run's commit into a relation drops the read API's answers of it, before the next read can see them.
        warehouse.StepCommitted += (_, committed) => cache.Invalidate(committed.Relation.ToString());
        builder.Services.AddSingleton(cache);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<IRunWatcher>(services => services.GetRequiredService<ServerMetrics>());
        builder.Services.AddSingleton(channels);
        builder.Services.AddSingleton<AlertMonitor>();
        builder.Services.AddSingleton<IRunWatcher>(services => services.GetRequiredService<AlertMonitor>());
        builder.Services.AddHostedService(services => services.GetRequiredService<AlertMonitor>());
        builder.Services.AddSingleton<QueuedRuns>();
        builder.Services.AddHostedService(services => services.GetRequiredService<QueuedRuns>());
        builder.Services.AddSingleton<ScheduledJobs>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ScheduledJobs>());

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(warehouse.Dispose);
        app.Lifetime.ApplicationStopped.Register(http.Dispose);
        // Where it listens, for the CLI's commands of other processes: written once it listens, removed when it stops.
        app.Lifetime.ApplicationStarted.Register(() => new ServerFile(
            app.Urls.First(), Environment.ProcessId).Write(project));
        app.Lifetime.ApplicationStopping.Register(() => ServerFile.Delete(project));
        app.Use(RequireToken(options));
        app.Use(AnswerRefusals);
        ServerApi.Map(app, options);
        DashboardApi.Map(app, options);
        return app;
    }

    /// <summary>A request the library refuses (a query that is not one SELECT, a run that does not exist) is a 400 that says why.</summary>
    private static async Task AnswerRefusals(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (AlquimiaException error) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = error.Message }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every path but <c>/healthz</c>, the dashboard's page and assets (and <c>/metrics</c>, unless <see cref="ServerOptions.ProtectMetrics"/>) answers 401
    /// without <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> RequireToken(ServerOptions options)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        return (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/healthz") || (!options.ProtectMetrics && context.Request.Path.StartsWithSegments("/metrics"))
                || DashboardApi.IsPublic(context.Request.Path))
            {
                return next(context);
            }

            var header = context.Request.Headers.Authorization.ToString();
            var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
            if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), expected))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return context.Response.WriteAsync($"401: send the operator token ({ServerOptions.TokenVariable} of the server) as 'Authorization: Bearer <token>'.\n");
        };
    }
}
