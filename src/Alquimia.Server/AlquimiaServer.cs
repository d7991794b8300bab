using System.Security.Cryptography;
using System.Text;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Server.Alerts;
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
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", async (HttpContext context, ServerMetrics metrics, QueuedRuns queue) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.ExportAsync(queue, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        // Ready once the schedules run: a slot that comes before that is a slot the server started too late for.
        app.MapGet("/readyz", (QueuedRuns queue, ScheduledJobs jobs) => Results.Json(
            new
            {
                ready = jobs.IsScheduling, running = queue.Running?.RequestedBy, waiting = queue.Waiting,
                next_slot = jobs.WaitingFor is { } next ? new { job = next.Job.Name, at = next.At, run_date = next.RunDate } : null,
            },
            statusCode: jobs.IsScheduling ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/api/runs", (EmbeddedWarehouse owned, Project loaded) => Results.Json(
            ProjectStatus.Read(owned, loaded).Runs.Select(run => new
            {
                run_id = run.RunId, status = run.Status.ToString().ToLowerInvariant(), run_date = run.RunDate, selector = run.Selector,
                started_at = run.StartedAt, finished_at = run.FinishedAt, run.ModelsSucceeded, run.ModelsFailed, run.ModelsSkipped,
            })));
        app.MapPost("/api/runs", (QueuedRuns queue, Project loaded, string? select, DateOnly? run_date) =>
        {
            var request = queue.Enqueue(new RunRequest(loaded, new RunOptions { Selector = select, RunDate = run_date }, "the API"));
            return Results.Accepted($"/api/requests/{request.Id}", new { request_id = request.Id, waiting = queue.Waiting, select = request.Options.Selector, run_date = request.Options.RunDate });
        });
        app.MapGet("/api/requests/{id}", (QueuedRuns queue, string id) => queue.Find(id) is not { } request
            ? Results.NotFound(new { error = $"No run request {id} since the server started." })
            : Results.Json(new
            {
                request_id = request.Id, state = request.State,
                run_id = request.Completion.IsCompletedSuccessfully ? request.Completion.Result.Run.RunId : null,
                status = request.Completion.IsCompletedSuccessfully ? request.Completion.Result.Run.Status.ToString().ToLowerInvariant() : null,
                error = request.Completion.IsFaulted ? request.Completion.Exception.InnerException?.Message : null,
            }));
        app.MapGet("/api/alerts", (EmbeddedWarehouse owned, int? limit) => Results.Json(
            owned.Read(connection => AlertLog.Recent(connection, Math.Clamp(limit ?? 100, 1, 1000))).Select(message => new
            {
                rule = message.Rule, subject = message.Subject, condition = message.Condition, state = message.State.ToString().ToLowerInvariant(),
                summary = message.Summary, since = message.Since, sent_at = message.SentAt, channels = message.Channels, failures = message.Failures, run_id = message.RunId,
            })));
        app.MapGet("/api/jobs", (Project loaded, EmbeddedWarehouse owned, ScheduledJobs jobs) =>
        {
            var run = JobRuns.LastSlots(owned);
            var paused = JobRuns.Paused(owned);
            return Results.Json(loaded.Jobs.Select(job => new
            {
                name = job.Name, schedule = job.Schedule.Text, timezone = job.TimeZone.Id, select = job.Selector, catch_up = job.CatchUp.ToString().ToLowerInvariant(),
                last_slot_run = run.TryGetValue(job.Name, out var last) ? TimeZoneInfo.ConvertTime(last, job.TimeZone) : (DateTimeOffset?)null,
                paused = paused.Contains(job.Name),
                next_slot = job.Schedule.Next(jobs.Scheduler?.LastSlots.GetValueOrDefault(job.Name) ?? options.Time.GetUtcNow(), job.TimeZone),
            }));
        });
        app.MapPost("/api/jobs/{name}/{action}", (string name, string action, Project loaded, EmbeddedWarehouse owned, QueuedRuns queue) =>
        {
            if (loaded.Jobs.FirstOrDefault(job => string.Equals(job.Name, name, StringComparison.Ordinal)) is not { } job)
            {
                return Results.NotFound(new { error = $"No job '{name}'. The jobs: {string.Join(", ", loaded.Jobs.Select(other => other.Name))}." });
            }

            switch (action)
            {
                case "pause" or "resume":
                    JobRuns.SetPaused(owned, job, action == "pause", "the API", options.Time.GetUtcNow());
                    return Results.Json(new { job = job.Name, paused = action == "pause" });
                case "trigger":
                    var request = queue.Enqueue(new RunRequest(JobRuns.ProjectFor(loaded, job), JobRuns.TriggeredNow(job, options.Time.GetUtcNow()), $"job {job.Name}, triggered") { Job = job });
                    return Results.Accepted($"/api/requests/{request.Id}", new { request_id = request.Id, job = job.Name, run_date = request.Options.RunDate });
                default:
                    return Results.NotFound(new { error = $"'{action}' is not an action on a job: pause, resume or trigger." });
            }
        });
        return app;
    }

    /// <summary>
    /// Every path but <c>/healthz</c> (and <c>/metrics</c>, unless <see cref="ServerOptions.ProtectMetrics"/>) answers 401
    /// without <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> RequireToken(ServerOptions options)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        return (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/healthz") || (!options.ProtectMetrics && context.Request.Path.StartsWithSegments("/metrics")))
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
