using Alquimia.Operations;
using Alquimia.Orchestration;
using System.Text.Json;
using Alquimia.Projects;
using Alquimia.Serving;
using Alquimia.Warehouse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alquimia.Server;

/// <summary>
/// The server's HTTP API (docs/running.md, "alquimia serve"): health, metrics, runs and their requests, status,
/// quality, read-only queries, jobs and alerts. The CLI's commands use it while a server owns the warehouse.
/// </summary>
internal static class ServerApi
{
    public static void Map(WebApplication app, ServerOptions options)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n")).WithTags("operate").WithSummary("Alive: 200 ok, without a token");
        app.MapGet("/metrics", async (HttpContext context, ServerMetrics metrics, QueuedRuns queue) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.ExportAsync(queue, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }).WithTags("operate").WithSummary("Prometheus metrics (without a token unless serve --protect-metrics)");
        // Ready once the schedules run: a slot that comes before that is a slot the server started too late for.
        app.MapGet("/readyz", (QueuedRuns queue, ScheduledJobs jobs) => Results.Json(
            new
            {
                ready = jobs.IsScheduling, running = queue.Running?.RequestedBy, waiting = queue.Waiting,
                next_slot = jobs.WaitingFor is { } next ? new { job = next.Job.Name, at = next.At, run_date = next.RunDate } : null,
            },
            statusCode: jobs.IsScheduling ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable))
            .WithTags("operate").WithSummary("Ready once the schedules run: 503 before");
        app.MapGet("/api/status", (EmbeddedWarehouse owned, Project loaded, string? run) =>
            Results.Json(ProjectStatus.Read(owned, loaded, run), ServerJson.Options))
            .WithTags("operate").WithSummary("The warehouse's tables, last runs and watermarks (alquimia status)");
        app.MapGet("/api/quality", (EmbeddedWarehouse owned, string? run) =>
            Results.Json(QualityReport.Read(owned, run), ServerJson.Options))
            .WithTags("operate").WithSummary("Expectations and data tests of a run, the last by default (alquimia quality)");
        app.MapPost("/api/query", (EmbeddedWarehouse owned, QueryRequest query) => Results.Json(QueryAnswer.Of(query.RunOn(owned)), ServerJson.Options))
            .WithTags("operate").WithSummary("One read-only SELECT on the whole warehouse (alquimia query): the operator's only");
        app.MapGet("/api/tables", (HttpContext context, EmbeddedWarehouse owned, Project loaded) => Results.Json(TablePages.List(owned, loaded, context.Caller().Scope), ServerJson.Options))
            .WithTags("read").WithSummary("The tables the caller may read, with their columns and descriptions");
        app.MapGet("/api/tables/{relation}", async (HttpContext context, EmbeddedWarehouse owned, ReadCache cache, ServerMetrics metrics, string relation) =>
        {
            var name = QualifiedName.TryParse(relation) ?? throw new AlquimiaException($"'{relation}' is not a table: write layer.name, e.g. gold.crm_metrics_daily.");
            var scope = context.Caller().Scope;
            scope.Check(name);
            var query = context.Request.Query.SelectMany(pair => pair.Value.Select(value => new KeyValuePair<string, string>(pair.Key, value ?? ""))).ToList();
            var csv = context.Request.Query["format"] == "csv";
            // One key per caller and question, whatever the order of its parameters: a key's answers are its own.
            var key = scope.Name + "|" + name + "?" + string.Join('&', query.OrderBy(pair => pair.Key, StringComparer.Ordinal).ThenBy(pair => pair.Value, StringComparer.Ordinal)
                .Select(pair => Uri.EscapeDataString(pair.Key) + "=" + Uri.EscapeDataString(pair.Value)));
            var hit = cache.TryGet(key, out var read);
            metrics.CountRead(hit);
            if (!hit)
            {
                var generation = cache.Generation(name.ToString());
                var page = TablePages.Read(owned, TablePages.Parse(name, query), scope);
                read = Answer(page, csv, key);
                cache.Put(name.ToString(), generation, key, read);
            }

            context.Response.Headers.ETag = read.ETag;
            context.Response.Headers.CacheControl = "no-cache";
            if (read.NextCursor is { } next)
            {
                context.Response.Headers["X-Next-Cursor"] = next;
            }

            if (read.Total is { } total)
            {
                context.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var asked = context.Request.Headers.IfNoneMatch.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries));
            if (asked.Any(tag => tag == read.ETag || tag == "*"))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            context.Response.ContentType = read.ContentType;
            await context.Response.Body.WriteAsync(read.Body, context.RequestAborted).ConfigureAwait(false);
        }).WithTags("read").DescribeTableRead();
        app.MapGet("/api/runs", (EmbeddedWarehouse owned) => Results.Json(
            ProjectStatus.RecentRuns(owned).Select(run => new
            {
                run_id = run.RunId, status = run.Status.ToString().ToLowerInvariant(), run_date = run.RunDate, selector = run.Selector,
                started_at = run.StartedAt, finished_at = run.FinishedAt, models_succeeded = run.ModelsSucceeded, models_failed = run.ModelsFailed, models_skipped = run.ModelsSkipped,
            }))).WithTags("operate").WithSummary("The last runs");
        app.MapPost("/api/runs", (QueuedRuns queue, Project loaded, string? select, string? steps, DateOnly? run_date, bool? full_refresh, string? drop_history, bool? replay) =>
        {
            var options = new RunOptions
            {
                Selector = select, Steps = steps is null ? null : [.. Names(steps, "steps")], RunDate = run_date, FullRefresh = full_refresh ?? false,
                DropHistory = [.. Names(drop_history, "drop_history")], Replay = replay ?? false,
            };
            var request = queue.Enqueue(new RunRequest(loaded, options, "the API"));
            return Results.Accepted($"/api/requests/{request.Id}", new
            {
                request_id = request.Id, waiting = queue.Waiting, select = options.Selector, run_date = options.RunDate, full_refresh = options.FullRefresh,
                drop_history = options.DropHistory.Select(name => name.ToString()),
            });
        }).WithTags("operate").WithSummary("Queue a run (alquimia run): 202 with the request to follow");
        app.MapGet("/api/requests/{id}", (QueuedRuns queue, string id) => queue.Find(id) is not { } request
            ? Results.NotFound(new { error = $"No run request {id} since the server started." })
            : Results.Json(new
            {
                request_id = request.Id, state = request.State,
                run_id = request.Completion.IsCompletedSuccessfully ? request.Completion.Result.Run.RunId : null,
                status = request.Completion.IsCompletedSuccessfully ? request.Completion.Result.Run.Status.ToString().ToLowerInvariant() : null,
                error = request.Completion.IsFaulted ? request.Completion.Exception.InnerException?.Message : null,
            })).WithTags("operate").WithSummary("A queued run's state: waiting, running, done");
        app.MapGet("/api/alerts", (EmbeddedWarehouse owned, int? limit) => Results.Json(
            owned.Read(connection => AlertLog.Recent(connection, Math.Clamp(limit ?? 100, 1, 1000))).Select(message => new
            {
                rule = message.Rule, subject = message.Subject, condition = message.Condition, state = message.State.ToString().ToLowerInvariant(),
                summary = message.Summary, since = message.Since, sent_at = message.SentAt, channels = message.Channels, failures = message.Failures, run_id = message.RunId,
            }))).WithTags("operate").WithSummary("The alerts sent, newest first");
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
        }).WithTags("operate").WithSummary("The jobs with their schedules, last and next slots");
        app.MapPost("/api/jobs/{name}/{action}", (string name, string action, Project loaded, EmbeddedWarehouse owned, QueuedRuns queue, DateOnly? from, DateOnly? to) =>
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
                case "backfill" when from is { } first && to is { } last && first <= last:
                    // One run per slot not run yet, queued in order; each is that slot's run, as the schedule's would be.
                    var slots = JobRuns.SlotsFor(job, first, last);
                    var queued = slots.Where(slot => JobRuns.RunOf(owned, slot) is null)
                        .Select(slot => queue.Enqueue(new RunRequest(JobRuns.ProjectFor(loaded, job), JobRuns.OptionsFor(slot), $"job {job.Name}, backfill") { Job = job }))
                        .ToList();
                    return Results.Accepted("/api/runs", new
                    {
                        job = job.Name, slots = slots.Count,
                        requests = queued.Select(request => new { request_id = request.Id, run_date = request.Options.RunDate }),
                    });
                case "backfill":
                    return Results.BadRequest(new { error = "A backfill needs ?from=YYYY-MM-DD&to=YYYY-MM-DD, from not after to." });
                default:
                    return Results.NotFound(new { error = $"'{action}' is not an action on a job: pause, resume, trigger or backfill." });
            }
        }).WithTags("operate").WithSummary("pause, resume, trigger or backfill (?from&to) a job");
    }

    /// <summary>
    /// A page as sent: JSON (each row DuckDB's own JSON of it) or CSV, with an ETag made of the run that last committed
    /// the relation and the question asked, so that it changes exactly when a run commits the relation.
    /// </summary>
    private static CachedRead Answer(TablePage page, bool csv, string key)
    {
        var etag = $"\"{page.Version}.{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16]}\"";
        if (csv)
        {
            return new CachedRead(etag, "text/csv; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(Csv.Write(page.Columns.Select(column => column.Name), page.TextRows)), page.Next, page.Total);
        }

        var columns = JsonSerializer.Serialize(page.Columns.Select(column => new { name = column.Name, type = column.Type }));
        var total = page.Total is { } count ? $",\"total\":{count}" : "";
        var body = $"{{\"columns\":{columns},\"rows\":[{string.Join(",", page.JsonRows)}],\"next\":{JsonSerializer.Serialize(page.Next)}{total}}}";
        return new CachedRead(etag, "application/json; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(body), page.Next, page.Total);
    }

    /// <summary><c>drop_history=silver.a,gold.b</c>, <c>steps=bronze.a</c>: relations as layer.name; the run checks each.</summary>
    private static IEnumerable<QualifiedName> Names(string? list, string parameter) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(text =>
            QualifiedName.TryParse(text) ?? throw new AlquimiaException($"{parameter} names '{text}', which is not a relation as layer.name (e.g. gold.dm_atendente_historico)."));
}

/// <summary>The body of <c>POST /api/query</c>: one SELECT, or a relation whose first rows to show.</summary>
/// <param name="Json">True to answer each row as one JSON object (<c>alquimia query --format json</c>).</param>
public sealed record QueryRequest(string? Sql, string? Relation, int? Limit, bool Json)
{
    /// <summary>Runs it on <paramref name="warehouse"/> in a read-only transaction: a relation shows 20 rows unless told.</summary>
    public WarehouseQuery RunOn(EmbeddedWarehouse warehouse) => Relation is { } relation
        ? WarehouseQuery.Show(warehouse, relation, Limit ?? 20, Json)
        : WarehouseQuery.Run(warehouse, Sql ?? throw new AlquimiaException("Send 'sql' (one SELECT) or 'relation' (layer.name)."), Limit, Json);
}

/// <summary>The answer of <c>POST /api/query</c>: the columns with their DuckDB types, and the rows as text.</summary>
public sealed record QueryAnswer(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    public static QueryAnswer Of(WarehouseQuery result) => new([.. result.Columns.Select(column => new QueryColumn(column.Name, column.Type))], result.Rows);

    public WarehouseQuery ToQuery() => new([.. Columns.Select(column => (column.Name, column.Type))], Rows);
}

/// <summary>A column of a query's answer.</summary>
public sealed record QueryColumn(string Name, string Type);
