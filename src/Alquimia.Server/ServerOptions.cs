namespace Alquimia.Server;

/// <summary>How <c>alquimia serve</c> runs.</summary>
/// <param name="Urls">Where it listens, e.g. <c>http://127.0.0.1:8080</c>: on 127.0.0.1 unless told otherwise.</param>
/// <param name="Token">The operator token, which opens every endpoint (<c>Authorization: Bearer …</c>); API keys open the read API only.</param>
public sealed record ServerOptions(string Urls, string Token)
{
    /// <summary>The environment variable the CLI reads the token from.</summary>
    public const string TokenVariable = "ALQUIMIA_TOKEN";

    /// <summary>
    /// True when <c>/metrics</c> needs the token too; by default Prometheus scrapes it without one, as it scrapes any
    /// exporter (the figures name tables and jobs, never data).
    /// </summary>
    public bool ProtectMetrics { get; init; }

    /// <summary>Where the alert channels' secrets are read from: the process's environment variables.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The clock the schedules run on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
