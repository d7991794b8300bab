namespace Alquimia.Projects;

/// <summary>
/// Where and how a database source's batches land (<c>landing:</c> of alquimia.yml, the project's default, and of a
/// source file, which overrides it key by key; docs/projects.md, "Landing layout"). The defaults are the layout
/// Alquimia always had: <c>&lt;lake&gt;/landing/&lt;source&gt;/&lt;table&gt;/ingestion_date=YYYY-MM-DD/</c>, Snappy, DuckDB's row groups.
/// </summary>
public sealed record LandingSettings
{
    /// <summary>The partition folder's name before <c>=YYYY-MM-DD</c>.</summary>
    public const string DefaultPartition = "ingestion_date";

    /// <summary>
    /// The source's landing folder, which holds a folder per table: an absolute local path, or <c>s3://bucket/prefix</c>.
    /// Null for <c>&lt;lake&gt;/landing/&lt;source&gt;</c>. (In alquimia.yml, <c>root</c> holds a folder per source, and
    /// each source's root is that folder.)
    /// </summary>
    public string? Root { get; init; }

    /// <summary>The name of the partition folder a sync's batch lands in, <c>&lt;partition&gt;=YYYY-MM-DD</c>, the sync's UTC day. The default is <see cref="DefaultPartition"/>.</summary>
    public string Partition { get; init; } = DefaultPartition;

    /// <summary>The Parquet compression codec of the landing files, as DuckDB names it. The default is snappy.</summary>
    public string Compression { get; init; } = "snappy";

    /// <summary>Rows per Parquet row group, at least 2,048 (DuckDB writes whole vectors); null leaves DuckDB's (122,880).</summary>
    public int? RowGroupSize { get; init; }

    /// <summary>How to reach an <c>s3://</c> root.</summary>
    public S3Settings S3 { get; init; } = new();

    /// <summary>True when the root is an object store bucket rather than a local folder.</summary>
    public bool IsS3 => Root is { } root && root.StartsWith(S3Location.Scheme, StringComparison.Ordinal);
}

/// <summary>How an <c>s3://</c> landing root is reached; credentials come from the AWS SDK's chain (environment, profile, instance role).</summary>
public sealed record S3Settings
{
    /// <summary>The service URL of an S3-compatible store (MinIO, Ceph…); null for AWS itself.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The bucket's region (e.g. us-east-2); null leaves the SDK's (AWS_REGION, the profile's), or us-east-1 with an endpoint.</summary>
    public string? Region { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible stores need. The default is false (bucket.endpoint).</summary>
    public bool PathStyle { get; init; }

    /// <summary>The named profile of ~/.aws/credentials to use; null for the SDK's default chain.</summary>
    public string? Profile { get; init; }
}

/// <summary>An <c>s3://bucket/prefix</c> location, split.</summary>
/// <param name="Bucket">The bucket's name.</param>
/// <param name="Prefix">The keys' prefix, without leading or trailing slash; empty for the bucket's top.</param>
public sealed record S3Location(string Bucket, string Prefix)
{
    /// <summary>The URI scheme of an S3 location.</summary>
    public const string Scheme = "s3://";

    /// <summary>The location of an <c>s3://bucket/prefix</c> URI, or null with the reason when it is not one.</summary>
    public static S3Location? Parse(string uri, out string? problem)
    {
        problem = null;
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            problem = $"it does not start with {Scheme}";
            return null;
        }

        var rest = uri[Scheme.Length..].Trim('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        // S3's rules for a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, a letter or digit at each end.
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-')
            || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            problem = $"'{bucket}' is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)";
            return null;
        }

        if (prefix.Contains("//", StringComparison.Ordinal))
        {
            problem = "its prefix has an empty folder (//)";
            return null;
        }

        return new S3Location(bucket, prefix);
    }

    /// <summary>The key of <paramref name="relative"/> under the prefix.</summary>
    public string Key(string relative) => Prefix.Length == 0 ? relative : $"{Prefix}/{relative}";

    public override string ToString() => Prefix.Length == 0 ? $"{Scheme}{Bucket}" : $"{Scheme}{Bucket}/{Prefix}";
}
