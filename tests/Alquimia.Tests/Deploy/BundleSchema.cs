using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// A Databricks Asset Bundle's YAML, each file checked alone as the CLI checks them, two ways:
/// <list type="bullet">
/// <item><see cref="Errors"/>: against the keys Alquimia writes, as Databricks documents them
/// (TestData/DatabricksBundle/bundle.schema.json, written by us). Every object but the bundle's variables and targets'
/// maps refuses unknown keys, so a misspelled or misplaced key fails here as it would at deploy.</item>
/// <item><see cref="OfficialErrors"/>: against Databricks' own schema (what <c>databricks bundle schema</c> prints), as
/// SchemaStore publishes it in TypeScript on npm: tests/bundle-schema-check types each file as it and runs the
/// TypeScript compiler, which refuses an unknown key, a missing required one and a value outside an enum. Installed
/// by scripts/test-servers.sh; the schema's own JSON cannot be kept in this repository.</item>
/// </list>
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

    /// <summary>What the TypeScript compiler finds in each file typed as Databricks' bundle schema, by its name; empty lists when valid.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> OfficialErrors(IEnumerable<(string Name, string Yaml)> files) =>
        NodeCheck.Errors("bundle-schema-check", "typescript",
            new JsonArray([.. files.Select(file => new JsonObject { ["name"] = file.Name, ["document"] = ToJson(file.Yaml) })]).ToJsonString());

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
