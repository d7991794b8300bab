using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Alerts;
using Alquimia.Serving;
using Alquimia.Warehouse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alquimia.Server;

/// <summary>
/// <c>alquimia serve</c>: one process that owns the project's warehouse while it runs, runs the jobs on their schedules
/// and the runs asked for over HTTP, one at a time (<see cref="QueuedRuns"/>). Who may call what is <see cref="ApiAccess"/>'s.
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
        var callers = new ApiCallers(project, options);
        var warehouse = EmbeddedWarehouse.Open(project);
        CheckRowFilters(project, warehouse);
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
        builder.Services.AddHostedService<ContinuousCapture>();
        ApiAccess.AddServices(builder.Services, project);
        ApiDocument.AddServices(builder.Services);

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(warehouse.Dispose);
        app.Lifetime.ApplicationStopped.Register(http.Dispose);
        // Where it listens, for the CLI's commands of other processes: written once it listens, removed when it stops.
        app.Lifetime.ApplicationStarted.Register(() => new ServerFile(
            app.Urls.First(), Environment.ProcessId).Write(project));
        app.Lifetime.ApplicationStopping.Register(() => ServerFile.Delete(project));
        ApiAccess.Use(app, project, options, callers);
        app.Use(AnswerRefusals);
        ServerApi.Map(app, options);
        DashboardApi.Map(app, options);
        ApiDocument.Map(app);
        return app;
    }

    /// <summary>A row filter that does not fit its table (a column renamed since) stops the start, naming the key and the table.</summary>
    private static void CheckRowFilters(Project project, EmbeddedWarehouse warehouse)
    {
        var problems = project.Serve.ApiKeys.SelectMany(key => ReadScope.Of(key).Problems(warehouse, project)).ToList();
        if (problems.Count > 0)
        {
            warehouse.Dispose();
            throw new AlquimiaException(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>
    /// A request the library refuses (a query that is not one SELECT, a run that does not exist) is a 400 that says why;
    /// a read outside the caller's tables, a 403.
    /// </summary>
    private static async Task AnswerRefusals(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (AlquimiaException error) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = error is OutOfScopeException ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = error.Message }).ConfigureAwait(false);
        }
    }
}
