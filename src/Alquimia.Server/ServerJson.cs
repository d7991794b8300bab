using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alquimia.Server;

/// <summary>
/// How the API writes the library's records (runs, steps, status, quality) and how the CLI reads them back: snake_case
/// names and enum values, so that <c>alquimia status</c> through a server shows what it shows on the warehouse.
/// </summary>
public static class ServerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
