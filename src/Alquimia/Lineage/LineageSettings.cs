namespace Alquimia.Lineage;

/// <summary>
/// Where a run sends its OpenLineage events (<c>lineage:</c> in alquimia.yml, docs/running.md "Lineage"): POSTed to
/// an HTTP endpoint (OpenLineage's HTTP transport), appended to a file (one JSON event per line), or both.
/// </summary>
public sealed record LineageSettings
{
    /// <summary>The endpoint each event is POSTed to as JSON, e.g. Marquez's <c>http://127.0.0.1:5000/api/v1/lineage</c>; null for none.</summary>
    public Uri? Url { get; init; }

    /// <summary>The file events are appended to, absolute (relative paths in alquimia.yml are to the project folder); null for none.</summary>
    public string? File { get; init; }

    /// <summary>The environment variable holding a bearer token for <see cref="Url"/>; null sends none. The token is never logged.</summary>
    public string? ApiKeyEnvironmentVariable { get; init; }

    /// <summary>
    /// How long one POST may take, and how long the end of a run waits for the events still queued. The default is
    /// five seconds: an endpoint that is down delays a run by at most this, twice.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}
