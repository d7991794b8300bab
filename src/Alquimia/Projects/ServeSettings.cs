namespace Alquimia.Projects;

/// <summary>
/// The <c>serve</c> section of alquimia.yml: who may read the read API besides the operator (API keys, each with its
/// tables and row filters), how fast, and from which web origins. docs/running.md, "API keys".
/// </summary>
/// <param name="RateLimit">The rate of an API key that sets none.</param>
/// <param name="CorsOrigins">The web origins whose pages may call the API from a browser; none unless configured.</param>
public sealed record ServeSettings(IReadOnlyList<ApiKeyDefinition> ApiKeys, RateLimitDefinition RateLimit, IReadOnlyList<string> CorsOrigins)
{
    /// <summary>
    /// 50 requests a second, the bucket holding as many: a dashboard's page load asks for a handful, so the default
    /// never slows a person down and still stops a runaway script.
    /// </summary>
    public static RateLimitDefinition DefaultRateLimit { get; } = new(50, TimeSpan.FromSeconds(1));

    /// <summary>No API keys, the default rate, no CORS.</summary>
    public static ServeSettings None { get; } = new([], DefaultRateLimit, []);
}

/// <summary>
/// An API key of <c>serve.api_keys</c>: a caller who may read some tables through the read API, each table's rows
/// narrowed by its row filter, and nothing else. The key itself is never written in alquimia.yml: either its SHA-256
/// (<see cref="KeySha256"/>) or the environment variable that holds it (<see cref="KeyVariable"/>).
/// </summary>
/// <param name="Name">Its name: in logs, metrics and messages, never the key.</param>
/// <param name="Line">Its line in alquimia.yml.</param>
public sealed record ApiKeyDefinition(string Name, int Line)
{
    /// <summary>The SHA-256 of the key, 64 lowercase hexadecimal digits.</summary>
    public string? KeySha256 { get; init; }

    /// <summary>The environment variable holding the key, read when the server starts.</summary>
    public string? KeyVariable { get; init; }

    /// <summary>The tables it may read, with their row filters.</summary>
    public IReadOnlyList<TableGrant> Tables { get; init; } = [];

    /// <summary>Its rate; null for <see cref="ServeSettings.RateLimit"/>.</summary>
    public RateLimitDefinition? RateLimit { get; init; }
}

/// <summary>
/// A table (or every table of a layer, <c>gold.*</c>) an API key may read, and the rows it may see: a SQL condition on
/// the table's columns, e.g. <c>organization_id = 'ORG1'</c>, that the server adds to every read; null for every row.
/// </summary>
public sealed record TableGrant(string Layer, string? Name, string? RowFilter, int Line)
{
    /// <summary>True when it grants a whole layer (<c>gold.*</c>).</summary>
    public bool IsLayer => Name is null;

    /// <summary>True when it grants <paramref name="relation"/>.</summary>
    public bool Covers(QualifiedName relation) =>
        string.Equals(Layer, relation.Schema, StringComparison.Ordinal) && (Name is null || string.Equals(Name, relation.Name, StringComparison.Ordinal));

    public override string ToString() => $"{Layer}.{Name ?? "*"}";
}

/// <summary>At most <paramref name="Requests"/> requests <paramref name="Per"/> period, a burst of as many allowed.</summary>
public sealed record RateLimitDefinition(int Requests, TimeSpan Per)
{
    /// <summary>As written in messages: <c>50 requests per 1s</c>.</summary>
    public override string ToString() => $"{Requests} requests per {Loading.DurationParser.Format(Per)}";
}
