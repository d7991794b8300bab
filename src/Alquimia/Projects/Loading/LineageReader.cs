using Alquimia.Lineage;

namespace Alquimia.Projects.Loading;

/// <summary>Reads the <c>lineage</c> mapping of alquimia.yml (docs/running.md, "Lineage").</summary>
internal static class LineageReader
{
    private static readonly string[] Keys = ["url", "file", "api_key_env", "timeout"];

    /// <summary>The settings, or null when alquimia.yml has no <c>lineage</c> (or a broken one, whose problems are recorded).</summary>
    public static LineageSettings? Read(YamlSection project, string directory)
    {
        if (project.Mapping("lineage", $"'lineage' of {ProjectFileReader.FileName}") is not { } yaml)
        {
            return null;
        }

        yaml.CheckKeys(Keys);
        var url = yaml.String("url");
        var file = yaml.String("file");
        var apiKey = yaml.String("api_key_env");
        var timeout = yaml.Duration("timeout");
        Uri? endpoint = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            yaml.Problem(yaml.LineOfKey("url"), $"'url: {url}' in {yaml.Description} is not an http(s) URL. Write the endpoint events are POSTed to, e.g. url: http://127.0.0.1:5000/api/v1/lineage.");
            endpoint = null;
        }

        if (url is null && file is null)
        {
            yaml.Problem(yaml.Line, $"{yaml.Description} says neither where to send events nor where to write them. Add url: (an OpenLineage HTTP endpoint) or file: (e.g. lineage/events.jsonl), or remove 'lineage'.");
        }

        if (apiKey is not null && url is null)
        {
            yaml.Problem(yaml.LineOfKey("api_key_env"), $"'api_key_env' in {yaml.Description} is the token for 'url', which is missing. Add url:, or remove api_key_env.");
        }

        if (endpoint is null && file is null)
        {
            return null;
        }

        return new LineageSettings
        {
            Url = endpoint,
            File = file is null ? null : Path.GetFullPath(file, directory),
            ApiKeyEnvironmentVariable = apiKey,
            Timeout = timeout ?? new LineageSettings().Timeout,
        };
    }
}
