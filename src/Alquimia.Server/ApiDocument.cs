using Alquimia.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Alquimia.Server;

/// <summary>
/// The API's description: an OpenAPI document made from the endpoints themselves (<c>/openapi/v1.json</c>) and a
/// reference page over it (<c>/scalar</c>), both served without a token, since they hold no data. The page is
/// Scalar's, whose script ships inside its package: it loads nothing from the internet.
/// </summary>
internal static class ApiDocument
{
    public const string DocumentPath = "/openapi/v1.json";

    public static void AddServices(IServiceCollection services) => services.AddOpenApi(document => document.AddDocumentTransformer((openApi, _, _) =>
    {
        openApi.Info = new OpenApiInfo
        {
            Title = "Alquimia",
            Version = "v1",
            Description = "alquimia serve: runs, jobs, quality and alerts for the operator; the read API (GET /api/tables…) for the operator and the API keys of serve.api_keys. docs/running.md tells the whole story.",
        };
        openApi.Components ??= new OpenApiComponents();
        openApi.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        openApi.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator token (ALQUIMIA_TOKEN of the server), or an API key of serve.api_keys in alquimia.yml, which reads its tables only.",
        };
        openApi.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", openApi)] = [] }];
        return Task.CompletedTask;
    }));

    public static void Map(WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference("/scalar", options =>
        {
            options.Title = "Alquimia API";
            options.OpenApiRoutePattern = DocumentPath;
            // Offline and private: no fonts from a CDN, no telemetry, no AI chat calling out.
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.Agent = new ScalarAgentOptions { Disabled = true };
            options.Mcp = new ScalarMcpOptions { Disabled = true };
        });
    }

    /// <summary>Describes the query string of <c>GET /api/tables/{relation}</c>, which the endpoint reads whole (any other key is a filter).</summary>
    public static RouteHandlerBuilder DescribeTableRead(this RouteHandlerBuilder endpoint) => endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
    {
        operation.Summary = "A page of a table or view";
        operation.Description = "Rows of one model, narrowed to the caller's rows (an API key's row filter). Any other query key is a filter on that column: "
            + "column=op:value with op one of eq, ne, lt, le, gt, ge, like, in (comma-separated values), null, notnull; values are bound as parameters and cast to the column's type. "
            + "The ETag changes exactly when a run commits the table; send it back as If-None-Match for a 304.";
        operation.Parameters ??= [];
        foreach (var (name, description) in new[]
        {
            ("columns", "The columns to return, comma-separated; all when absent."),
            ("order", "The order, comma-separated columns, '-' before one for descending (e.g. -data_referencia,organization_id); NULLs last."),
            ("page_size", $"Rows per page, 1 to {TablePageRequest.MaxPageSize}; {TablePageRequest.DefaultPageSize} when absent."),
            ("after", "The 'next' cursor of the page before (also in the X-Next-Cursor header), with the same order and filters."),
            ("format", "json (the default) or csv."),
            ("count", "true to count every row the filters select: 'total' in JSON, the X-Total-Count header in both."),
        })
        {
            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }

        return Task.CompletedTask;
    });
}
