using System.Text.RegularExpressions;

namespace Alquimia.Projects.Loading;

/// <summary>Reads a <c>landing</c> mapping, of alquimia.yml or of a database source's file (docs/projects.md, "Landing layout").</summary>
internal static partial class LandingSettingsReader
{
    private static readonly string[] Keys = ["root", "partition", "compression", "row_group_size", "s3"];
    private static readonly string[] S3Keys = ["endpoint", "region", "path_style", "profile"];

    /// <summary>The codecs DuckDB writes Parquet with.</summary>
    private static readonly string[] Compressions = ["snappy", "zstd", "gzip", "lz4", "lz4_raw", "brotli", "uncompressed"];

    /// <summary>
    /// <paramref name="inherited"/> with what <paramref name="owner"/>'s <c>landing</c> sets over it; unchanged when it has
    /// none. A local <c>root</c> is taken from <paramref name="directory"/> (the project's folder).
    /// </summary>
    public static LandingSettings Read(YamlSection owner, LandingSettings inherited, string directory)
    {
        if (owner.Mapping("landing", $"'landing' of {owner.Description}") is not { } yaml)
        {
            return inherited;
        }

        yaml.CheckKeys(Keys);
        var root = Root(yaml, directory);
        var settings = inherited with
        {
            Root = root ?? inherited.Root,
            Partition = Partition(yaml) ?? inherited.Partition,
            Compression = yaml.ChoiceOf("compression", Compressions) ?? inherited.Compression,
            // DuckDB writes whole vectors of 2,048 rows: a smaller row group would not be one.
            RowGroupSize = yaml.Int("row_group_size", minimum: 2048) ?? inherited.RowGroupSize,
        };
        if (yaml.Mapping("s3", $"'s3' of {yaml.Description}") is { } s3)
        {
            s3.CheckKeys(S3Keys);
            settings = settings with
            {
                S3 = settings.S3 with
                {
                    Endpoint = Endpoint(s3) ?? settings.S3.Endpoint,
                    Region = s3.String("region") ?? settings.S3.Region,
                    PathStyle = s3.Bool("path_style") ?? settings.S3.PathStyle,
                    Profile = s3.String("profile") ?? settings.S3.Profile,
                },
            };
            if (root is not null && !settings.IsS3)
            {
                yaml.Problem(yaml.LineOfKey("s3"), $"'s3' in {yaml.Description} says how to reach an s3:// root, and 'root' is a local folder. Set root: s3://bucket/prefix, or remove 's3'.");
            }
        }

        return settings;
    }

    private static string? Root(YamlSection yaml, string directory)
    {
        var root = yaml.String("root");
        if (root is null)
        {
            return null;
        }

        if (root.Contains("://", StringComparison.Ordinal))
        {
            if (S3Location.Parse(root, out var problem) is { } location)
            {
                return location.ToString();
            }

            yaml.Problem(yaml.LineOfKey("root"), $"'root: {root}' in {yaml.Description} is not a landing root: {problem}. Write a local folder, or s3://bucket/prefix.");
            return null;
        }

        return Path.GetFullPath(root, directory);
    }

    private static string? Partition(YamlSection yaml)
    {
        var partition = yaml.String("partition");
        if (partition is null || PartitionName().IsMatch(partition))
        {
            return partition;
        }

        yaml.Problem(
            yaml.LineOfKey("partition"),
            $"'partition: {partition}' in {yaml.Description} cannot name a partition folder: use letters, digits and underscores, e.g. partition: cog_dt_ingestion.");
        return null;
    }

    private static Uri? Endpoint(YamlSection s3)
    {
        var text = s3.String("endpoint");
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https")
        {
            return endpoint;
        }

        s3.Problem(s3.LineOfKey("endpoint"), $"'endpoint: {text}' in {s3.Description} is not an http(s) URL. Write the store's service URL, e.g. endpoint: http://127.0.0.1:9000.");
        return null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PartitionName();
}
