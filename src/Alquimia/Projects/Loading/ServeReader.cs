using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads the <c>serve</c> mapping of alquimia.yml (docs/running.md, "API keys"). The tables a key names must be the
/// project's models and its row filters one SQL condition each: <see cref="CheckReferences"/> checks both once the
/// models are known.
/// </summary>
internal static partial class ServeReader
{
    private const string AllRows = "all";

    public static ServeSettings Read(YamlSection project)
    {
        if (project.Mapping("serve", $"'serve' of {ProjectFileReader.FileName}") is not { } serve)
        {
            return ServeSettings.None;
        }

        serve.CheckKeys(["api_keys", "rate_limit", "cors"]);
        var rate = RateLimit(serve) ?? ServeSettings.DefaultRateLimit;
        var origins = new List<string>();
        if (serve.Mapping("cors", $"'serve.cors' of {ProjectFileReader.FileName}") is { } cors)
        {
            cors.CheckKeys(["origins"]);
            foreach (var origin in cors.StringOrList("origins"))
            {
                if (origin == "*" || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.GetLeftPart(UriPartial.Authority) == origin.TrimEnd('/')))
                {
                    origins.Add(origin.TrimEnd('/'));
                }
                else
                {
                    cors.Problem(cors.LineOfKey("origins"), $"'{origin}' in {cors.Description} is not a web origin: write scheme, host and port only, e.g. https://crm.example.com or http://localhost:3000 (or * for any page).");
                }
            }
        }

        var keys = new List<ApiKeyDefinition>();
        if (serve.Mapping("api_keys", $"'serve.api_keys' of {ProjectFileReader.FileName}") is { } section)
        {
            foreach (var name in section.Keys)
            {
                if (section.Node(name) is not YamlMappingNode mapping)
                {
                    section.Problem(section.LineOfKey(name), $"API key '{name}' in {ProjectFileReader.FileName} should be a mapping with key_sha256 (or key_env) and tables.");
                    continue;
                }

                keys.Add(ReadKey(name, section.Child(mapping, $"API key '{name}' of {ProjectFileReader.FileName}"), section.LineOfKey(name)));
            }
        }

        return new ServeSettings(keys, rate, origins);
    }

    /// <summary>Every table a key grants must be a model of the project, and every row filter one condition.</summary>
    public static void CheckReferences(Project project, SqlReferenceExtractor parser, LoadProblems problems)
    {
        var models = project.Models.Select(model => model.Name.ToString()).ToList();
        foreach (var key in project.Serve.ApiKeys)
        {
            foreach (var grant in key.Tables)
            {
                if (grant.IsLayer ? !project.Models.Any(model => grant.Covers(model.Name)) : !models.Contains(grant.ToString()))
                {
                    problems.Add(ProjectFileReader.FileName, grant.Line, grant.IsLayer
                        ? $"API key '{key.Name}' grants {grant}, and the project has no model in layer {grant.Layer}. The layers: {string.Join(", ", ProjectLoader.Layers)}."
                        : $"API key '{key.Name}' grants {grant}, which is not a model of the project.{Suggestions.DidYouMean(grant.ToString(), models)}");
                }

                if (grant.RowFilter is { } filter && RowFilterProblem(filter, parser) is { } problem)
                {
                    problems.Add(ProjectFileReader.FileName, grant.Line, $"The row filter of API key '{key.Name}' on {grant} ({filter}) {problem}");
                }
            }
        }
    }

    /// <summary>
    /// Why <paramref name="filter"/> is not one SQL condition, or null. It must parse both as it stands and between
    /// parentheses after a WHERE: a filter that closes a parenthesis, comments out the rest, or adds an ORDER BY or a
    /// UNION fails one of the two, so it can never widen the rows of the query it is added to.
    /// </summary>
    private static string? RowFilterProblem(string filter, SqlReferenceExtractor parser)
    {
        if (filter.Contains(';', StringComparison.Ordinal))
        {
            return "holds a ';': write one condition, e.g. organization_id = 'ORG1'.";
        }

        foreach (var sql in new[] { $"SELECT * FROM t WHERE {filter}", $"SELECT * FROM t WHERE ({filter}) AND true" })
        {
            var parse = parser.Parse(sql);
            if (parse.Error is { } error)
            {
                return $"is not one SQL condition: {error.Split('\n')[0]} Write a condition on the table's columns, e.g. organization_id = 'ORG1'.";
            }

            if (parse.StatementCount != 1)
            {
                return "is not one SQL condition. Write a condition on the table's columns, e.g. organization_id = 'ORG1'.";
            }
        }

        return null;
    }

    private static ApiKeyDefinition ReadKey(string name, YamlSection yaml, int line)
    {
        yaml.CheckKeys(["key_sha256", "key_env", "tables", "rate_limit"]);
        if (!NamePattern().IsMatch(name))
        {
            yaml.Problem(line, $"API key name '{name}' in {ProjectFileReader.FileName} should be letters, digits, '_' or '-' (it names the key in logs and metrics), e.g. crm_org1.");
        }

        var hash = yaml.String("key_sha256")?.ToLowerInvariant();
        var variable = yaml.String("key_env");
        if (hash is not null && !HashPattern().IsMatch(hash))
        {
            yaml.Problem(yaml.LineOfKey("key_sha256"), $"'key_sha256' of {yaml.Description} is not a SHA-256 (64 hexadecimal digits). Make a key and its hash with: key=$(openssl rand -hex 32); printf %s \"$key\" | sha256sum");
            hash = null;
        }

        if (yaml.Has("key_sha256") == yaml.Has("key_env"))
        {
            yaml.Problem(line, $"{Capitalized(yaml.Description)} needs exactly one of key_sha256 (the key's SHA-256: printf %s \"$key\" | sha256sum) or key_env (the environment variable holding the key). The key itself is never written in {ProjectFileReader.FileName}.");
        }

        var grants = new List<TableGrant>();
        var tables = yaml.Mapping("tables", $"'tables' of {yaml.Description}");
        foreach (var table in tables?.Keys ?? [])
        {
            grants.AddRange(ReadGrant(tables!, table) is { } grant ? [grant] : []);
        }

        if (tables?.Keys.Any() != true)
        {
            yaml.Problem(line, $"{Capitalized(yaml.Description)} grants no table. Add tables: with each table it may read and its row filter, e.g. gold.crm_metrics_daily: organization_id = 'ORG1' (or: all, for every row).");
        }

        return new ApiKeyDefinition(name, line) { KeySha256 = hash, KeyVariable = variable, Tables = grants, RateLimit = RateLimit(yaml) };
    }

    private static TableGrant? ReadGrant(YamlSection tables, string table)
    {
        var line = tables.LineOfKey(table);
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == table.Length - 1 || table.IndexOf('.', dot + 1) >= 0)
        {
            tables.Problem(line, $"'{table}' in {tables.Description} is not a table as layer.name: write e.g. gold.crm_metrics_daily, or gold.* for every model of the layer.");
            return null;
        }

        var filter = tables.String(table);
        if (filter is null)
        {
            tables.Problem(line, $"{table} in {tables.Description} has no row filter. Write the rows the key may see, e.g. {table}: organization_id = 'ORG1', or {table}: all for every row.");
            return null;
        }

        var layer = table[..dot].ToLowerInvariant();
        var name = table[(dot + 1)..].ToLowerInvariant();
        return new TableGrant(layer, name == "*" ? null : name, filter.Trim() == AllRows ? null : filter.Trim(), line);
    }

    /// <summary><c>rate_limit: {requests: 50, per: 1s}</c>.</summary>
    private static RateLimitDefinition? RateLimit(YamlSection yaml)
    {
        if (yaml.Mapping("rate_limit", $"'rate_limit' of {yaml.Description}") is not { } rate)
        {
            return null;
        }

        rate.CheckKeys(["requests", "per"]);
        var requests = rate.Int("requests", minimum: 1);
        var per = rate.Duration("per");
        if (per <= TimeSpan.Zero)
        {
            rate.Problem(rate.LineOfKey("per"), $"'per' in {rate.Description} is zero: write the period the requests are counted over, e.g. per: 1s.");
            per = null;
        }
        if (!rate.Has("requests") || !rate.Has("per"))
        {
            rate.Problem(rate.Line, $"{Capitalized(rate.Description)} needs requests and per, e.g. rate_limit: {{requests: 50, per: 1s}}.");
        }

        return requests is { } count && per is { } period ? new RateLimitDefinition(count, period) : null;
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();
}
