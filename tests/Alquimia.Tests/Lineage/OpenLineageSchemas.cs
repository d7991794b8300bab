using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Alquimia.Tests.Lineage;

/// <summary>
/// OpenLineage's published JSON schemas (TestData/OpenLineage, see its README): an event is checked against
/// OpenLineage.json, and each facet against its own facet schema, the one its <c>_schemaURL</c> names, with formats
/// (uuid, uri, date-time) enforced.
/// </summary>
internal static class OpenLineageSchemas
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "OpenLineage");
    private static readonly BuildOptions Build = new() { SchemaRegistry = new SchemaRegistry() };
    private static readonly JsonSchema Event = JsonSchema.FromFile(Path.Combine(Folder, "OpenLineage.json"), Build);
    private static readonly Dictionary<string, (JsonSchema Schema, string Id)> FacetSchemas = Directory.GetFiles(Path.Combine(Folder, "facets"), "*.json")
        .ToDictionary(file => Path.GetFileNameWithoutExtension(file)!, file =>
        {
            var schema = JsonSchema.FromFile(file, Build);
            return (schema, JsonNode.Parse(File.ReadAllText(file))!["$id"]!.GetValue<string>());
        });

    /// <summary>Fails naming every error when <paramref name="json"/> is not a valid OpenLineage run event with valid facets.</summary>
    public static void AssertValid(string json)
    {
        using var document = JsonDocument.Parse(json);
        AssertValid(Event, document.RootElement, json);
        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", root["schemaURL"]!.GetValue<string>());
        var facetGroups = new List<JsonObject?> { root["run"]?["facets"]?.AsObject(), root["job"]?["facets"]?.AsObject() };
        foreach (var dataset in (root["inputs"]?.AsArray() ?? []).Concat(root["outputs"]?.AsArray() ?? []))
        {
            facetGroups.Add(dataset!["facets"]?.AsObject());
            facetGroups.Add(dataset["outputFacets"]?.AsObject());
        }

        foreach (var (key, facet) in facetGroups.OfType<JsonObject>().SelectMany(group => group))
        {
            var url = facet!["_schemaURL"]!.GetValue<string>();
            var file = url.Split('#')[0].Split('/')[^1].Replace(".json", "", StringComparison.Ordinal);
            Assert.True(FacetSchemas.TryGetValue(file, out var facetSchema), $"Facet '{key}' names {url}, whose schema is not in TestData/OpenLineage/facets.");
            Assert.Equal(facetSchema.Id, url.Split('#')[0]);
            // A facet schema describes the facets object: { "<key>": facet }. Its key must be one it defines.
            var defined = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "facets", file + ".json")))!["properties"]!.AsObject();
            Assert.True(defined.ContainsKey(key), $"Facet '{key}' is not the key {file} defines ({string.Join(", ", defined.Select(pair => pair.Key))}).");
            using var wrapped = JsonDocument.Parse(new JsonObject { [key] = facet.DeepClone() }.ToJsonString());
            AssertValid(facetSchema.Schema, wrapped.RootElement, $"facet {key}: {facet.ToJsonString()}");
        }
    }

    private static void AssertValid(JsonSchema schema, JsonElement instance, string what)
    {
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (!results.IsValid)
        {
            var errors = (results.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key} {error.Value}"));
            Assert.Fail($"Not valid against OpenLineage's schema: {string.Join("; ", errors)}\n{what}");
        }
    }
}
