using Alquimia.Operations;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Alquimia.Server;

/// <summary>
/// The dashboard at <c>/</c> (docs/running.md, "The dashboard"): its page and assets under <c>/dashboard/</c>, served
/// without a token because they hold no data, and the operator endpoints its panels read beside the rest of the API
/// (<c>/api/graph</c>, <c>/api/freshness</c>, <c>/api/quality/history</c>), which need the token as every endpoint does.
/// </summary>
internal static class DashboardApi
{
    /// <summary>
    /// The page's policy: its own scripts, styles and API only, never a frame. The page builds every element with the
    /// DOM (no inline script or style), so nothing inline is allowed.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>True for the paths served without a token: the page and its assets, which hold no data.</summary>
    public static bool IsPublic(PathString path) => path == "/" || path.StartsWithSegments("/dashboard");

    public static void Map(WebApplication app, ServerOptions options)
    {
        var assets = DashboardAssets.Embedded;
        app.MapGet("/", (HttpContext context) => Serve(context, assets.Find("index.html"))).ExcludeFromDescription();
        app.MapGet("/dashboard", () => Results.Redirect("/")).ExcludeFromDescription();
        // The project's charts and listings: titles, tables and columns as alquimia.yml declares them, never a row.
        app.MapGet("/dashboard/config.json", (Project loaded) => Results.Json(Config(loaded))).ExcludeFromDescription();
        app.MapGet("/dashboard/{**path}", (HttpContext context, string path) => Serve(context, assets.Find(path))).ExcludeFromDescription();

        app.MapGet("/api/graph", (EmbeddedWarehouse owned, Project loaded) =>
        {
            var graph = GraphStatus.Read(owned, loaded);
            return Results.Json(new
            {
                nodes = graph.Nodes.Select(node => new
                {
                    name = node.Name.ToString(), layer = node.Name.Schema, kind = node.Kind, level = node.Level,
                    status = node.LastRun?.Status.ToString().ToLowerInvariant(), run_id = node.LastRun?.RunId,
                    finished_at = node.LastRun?.FinishedAt, duration_ms = (long?)node.LastRun?.Duration.TotalMilliseconds, error = node.LastRun?.Error,
                }),
                edges = graph.Edges.Select(edge => new { from = edge.From.ToString(), to = edge.To.ToString() }),
            });
        }).WithTags("operate").WithSummary("The pipeline's graph: every step with its latest attempt, and the edges");
        app.MapGet("/api/freshness", (EmbeddedWarehouse owned, Project loaded) =>
        {
            var now = options.Time.GetUtcNow();
            return Results.Json(new
            {
                now,
                tables = TableFreshness.OfEveryTable(owned, loaded).Select(table => new
                {
                    table = table.Table.ToString(), layer = table.Table.Schema, refreshed_at = table.RefreshedAt,
                    age_seconds = table.RefreshedAt is { } at ? (long?)(now - at).TotalSeconds : null,
                    stale_after_seconds = (long?)table.StaleAfter?.TotalSeconds, stale = table.IsStale(now),
                }),
                jobs = Freshness.Read(owned).Jobs.OrderBy(job => job.Key, StringComparer.Ordinal).Select(job => new { job = job.Key, succeeded_at = job.Value }),
            });
        }).WithTags("operate").WithSummary("Every table's last refresh and age, stale by the table_stale alert rules; each job's last success");
        app.MapGet("/api/quality/history", (EmbeddedWarehouse owned, int? runs) => Results.Json(
            QualityHistory.Read(owned, runs ?? 20).Select(point => new
            {
                run_id = point.RunId, started_at = point.StartedAt, model = point.Model, rows_checked = point.RowsChecked,
                rows_quarantined = point.RowsQuarantined, rows_dropped = point.RowsDropped, rows_warned = point.RowsWarned,
            }))).WithTags("operate").WithSummary("Each model's rows checked, quarantined, dropped and warned over the last runs");
    }

    private static object Config(Project project) => new
    {
        project = project.Name,
        charts = project.Dashboard.Charts.Select(chart => new
        {
            title = chart.Title, table = chart.Table.ToString(), x = chart.X, y = chart.Y, kind = chart.Kind.ToString().ToLowerInvariant(),
            series = chart.Series, stacked = chart.Stacked, max_rows = chart.MaxRows,
        }),
        tables = project.Dashboard.Tables.Select(table => new
        {
            title = table.Title, table = table.Table.ToString(), columns = table.Columns, order = table.Order, page_size = table.PageSize,
        }),
    };

    /// <summary>An asset with its ETag: a browser revalidates (no-cache) and gets a 304 until a new build changes it.</summary>
    private static IResult Serve(HttpContext context, DashboardAsset? asset)
    {
        if (asset is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
