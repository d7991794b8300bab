using System.Globalization;
using System.Threading.RateLimiting;
using Alquimia.Projects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Alquimia.Server;

/// <summary>
/// Who may call what (docs/running.md, "API keys"): the pages and documents that hold no data are open; the operator
/// token opens everything; an API key opens the read API (<c>GET /api/tables…</c>) for its own tables, at its own rate;
/// anything else is 401 (no token, or an unknown one) or 403 (a key outside the read API). Browsers of other sites may
/// call it only from the origins of <c>serve.cors</c>.
/// </summary>
internal static class ApiAccess
{
    /// <summary>Paths served without a token besides the dashboard's: health and the API's description.</summary>
    private static readonly string[] OpenPaths = ["/healthz", "/openapi", "/scalar"];

    public static void AddServices(IServiceCollection services, Project project)
    {
        services.AddRateLimiter(limiter =>
        {
            // One token bucket per API key: a burst of its whole rate, refilled each period. The operator is not limited.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Features.Get<ApiCaller>() is { RateLimit: { } rate } caller
                    ? RateLimitPartition.GetTokenBucketLimiter(caller.Name, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = rate.Requests, TokensPerPeriod = rate.Requests, ReplenishmentPeriod = rate.Per, QueueLimit = 0, AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("operator"));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, cancellation) =>
            {
                var context = rejected.HttpContext;
                var caller = context.Features.Get<ApiCaller>()!;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : caller.RateLimit!.Per;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.RequestServices.GetRequiredService<ServerMetrics>().CountRefused(caller.Name, "rate_limited");
                return new ValueTask(context.Response.WriteAsJsonAsync(
                    new { error = $"API key '{caller.Name}' is over its rate of {caller.RateLimit}: retry after {seconds} s." },
                    cancellation));
            };
        });

        if (project.Serve.CorsOrigins.Count > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            {
                if (project.Serve.CorsOrigins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. project.Serve.CorsOrigins]);
                }

                // Tokens travel in the Authorization header, never in cookies: no credentials mode is needed.
                policy.WithMethods("GET").WithHeaders("Authorization", "If-None-Match")
                    .WithExposedHeaders("ETag", "X-Next-Cursor", "X-Total-Count", "Retry-After").SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }));
        }
    }

    /// <summary>Adds CORS (when configured), the token check and the rate limiter, in that order: a preflight needs no token.</summary>
    public static void Use(WebApplication app, Project project, ServerOptions options, ApiCallers callers)
    {
        if (project.Serve.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }

        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (DashboardApi.IsPublic(path) || OpenPaths.Any(open => path.StartsWithSegments(open)) || (!options.ProtectMetrics && path.StartsWithSegments("/metrics")))
            {
                return next(context);
            }

            var header = context.Request.Headers.Authorization.ToString();
            var caller = header.StartsWith("Bearer ", StringComparison.Ordinal) ? callers.Identify(header["Bearer ".Length..]) : null;
            if (caller is null)
            {
                metrics.CountRefused("unknown", "unauthorized");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return context.Response.WriteAsJsonAsync(new
                {
                    error = $"Send a token as 'Authorization: Bearer <token>': the operator token ({ServerOptions.TokenVariable} of the server) or an API key of serve.api_keys.",
                });
            }

            if (!caller.IsOperator && !(HttpMethods.IsGet(context.Request.Method) && path.StartsWithSegments("/api/tables")))
            {
                metrics.CountRefused(caller.Name, "forbidden");
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsJsonAsync(new { error = $"API key '{caller.Name}' reads tables only (GET /api/tables and /api/tables/{{layer.name}}); {context.Request.Method} {path} needs the operator token." });
            }

            context.Features.Set(caller);
            return next(context);
        });
        app.UseRateLimiter();
    }

    /// <summary>The caller the token check found; the operator where no check ran.</summary>
    public static ApiCaller Caller(this HttpContext context) =>
        context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The token check did not run for " + context.Request.Path);
}
