using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// The keys of a Databricks Asset Bundle that Alquimia writes, as Databricks documents them
/// (TestData/DatabricksBundle/bundle.schema.json, written by us): each YAML file of a bundle is checked alone against
/// it, as the CLI checks them. Every object but the bundle's variables and targets' maps refuses unknown keys, so a
/// misspelled or misplaced key fails here as it would at deploy.
/// </summary>
internal static class BundleSchema
{
    private static readonly BuildOptions Build = new() { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "TestData", "DatabricksBundle", "bundle.schema.json"), Build);

    /// <summary>The schema's errors for <paramref name="yaml"/>, the deepest of each place; empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(string yaml)
    {
        using var document = JsonDocument.Parse(ToJson(yaml).ToJsonString());
        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => (Place: detail.InstanceLocation.ToString(), Text: $"{error.Key}: {error.Value}")))
            .GroupBy(error => error.Place)
            .OrderByDescending(group => group.Key.Length)
            .Select(group => $"{group.Key}: {group.First().Text}")];
    }

    /// <summary>YAML as JSON, scalars typed as YAML 1.2's core schema types them (true, 1, 1.5, null; the rest strings).</summary>
    private static JsonNode ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Node(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, Node(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Node)]),
        YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any) } quoted => JsonValue.Create(quoted.Value),
        YamlScalarNode scalar => scalar.Value switch
        {
            null or "" or "null" or "~" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var text when long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text => JsonValue.Create(text),
        },
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}."),
    };
}
