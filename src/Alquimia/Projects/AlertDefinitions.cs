namespace Alquimia.Projects;

/// <summary>The <c>alerts</c> of alquimia.yml: where alerts go (channels) and when they fire (rules). docs/running.md, "Alerts".</summary>
public sealed record AlertSettings(IReadOnlyList<AlertChannelDefinition> Channels, IReadOnlyList<AlertRule> Rules)
{
    /// <summary>No alerts.</summary>
    public static AlertSettings None { get; } = new([], []);
}

/// <summary>How an alert channel delivers.</summary>
public enum AlertChannelKind
{
    /// <summary>A POST of the alert as JSON to any URL.</summary>
    Webhook,

    /// <summary>A POST to a Slack incoming webhook, in Slack's blocks.</summary>
    Slack,

    /// <summary>A mail over SMTP.</summary>
    Email,
}

/// <summary>How an SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Ssl,

    /// <summary>No TLS: only for a relay on the same machine or a test server.</summary>
    None,
}

/// <summary>
/// A channel of <c>alerts.channels</c>. Secrets (a webhook's URL, which is its credential for Slack; an SMTP password)
/// are never written in alquimia.yml: it names the environment variables that hold them, read when the server starts.
/// </summary>
/// <param name="Name">The name rules route to.</param>
/// <param name="Kind">How it delivers.</param>
/// <param name="Line">Its line in alquimia.yml.</param>
public sealed record AlertChannelDefinition(string Name, AlertChannelKind Kind, int Line)
{
    /// <summary>The environment variable holding the URL (webhook, Slack).</summary>
    public string? UrlVariable { get; init; }

    /// <summary>The SMTP server's host (email).</summary>
    public string? SmtpHost { get; init; }

    /// <summary>The SMTP server's port (email): 587 with STARTTLS, 465 with SSL, 25 without TLS by default.</summary>
    public int? SmtpPort { get; init; }

    public SmtpSecurity SmtpSecurity { get; init; } = SmtpSecurity.StartTls;

    /// <summary>The environment variables holding the SMTP user and password; null to send without logging in.</summary>
    public string? UsernameVariable { get; init; }

    public string? PasswordVariable { get; init; }

    /// <summary>The sender's address (email).</summary>
    public string? From { get; init; }

    /// <summary>The recipients (email).</summary>
    public IReadOnlyList<string> To { get; init; } = [];
}

/// <summary>What an alert rule watches.</summary>
public enum AlertCondition
{
    /// <summary>A run failed (or could not start); resolved by the next successful run of the same job.</summary>
    RunFailed,

    /// <summary>A step's attempt failed and will be retried: one message per retry.</summary>
    StepRetried,

    /// <summary>A run still going after <see cref="AlertRule.Over"/>: fired while it runs, resolved when it ends.</summary>
    RunDuration,

    /// <summary>A source table's bronze has no rows after its sync.</summary>
    BronzeEmpty,

    /// <summary>The share of invalid rows of a build (per model) or of a whole run (the project) over <see cref="AlertRule.Ratio"/>.</summary>
    InvalidRatio,

    /// <summary>A table not refreshed by a successful step for longer than <see cref="AlertRule.Over"/>.</summary>
    TableStale,

    /// <summary>No run started within <see cref="AlertRule.Over"/> of a job's slot.</summary>
    ScheduleMissed,

    /// <summary>A run succeeded: a summary (seed 003's message: duration, tables, records, path, date).</summary>
    RunSucceeded,

    /// <summary>
    /// A CDC source's slot retains <see cref="AlertRule.Ratio"/> (default 0.8) of PostgreSQL's
    /// <c>max_slot_wal_keep_size</c> or more, or PostgreSQL marked it unreserved or lost: before it is invalidated.
    /// </summary>
    SlotAtRisk,
}

/// <summary>The conditions as alquimia.yml spells them.</summary>
public static class AlertConditions
{
    /// <summary>Each condition by its name in alquimia.yml (<c>run_failed</c>).</summary>
    public static IReadOnlyDictionary<string, AlertCondition> ByName { get; } = Enum.GetValues<AlertCondition>().ToDictionary(NameOf, StringComparer.Ordinal);

    /// <summary><c>RunFailed</c> is <c>run_failed</c>.</summary>
    public static string NameOf(AlertCondition condition) =>
        string.Concat(condition.ToString().Select((letter, index) => char.IsUpper(letter) && index > 0 ? "_" + char.ToLowerInvariant(letter) : char.ToLowerInvariant(letter).ToString()));
}

/// <summary>A rule of <c>alerts.rules</c>: when it fires, about what, and which channels hear it.</summary>
/// <param name="Name">The rule's name, unique in the project: the alert's title.</param>
/// <param name="When">What it watches.</param>
/// <param name="Notify">The channels it sends to, by name.</param>
/// <param name="Line">Its line in alquimia.yml.</param>
public sealed record AlertRule(string Name, AlertCondition When, IReadOnlyList<string> Notify, int Line)
{
    /// <summary>The duration of <c>over</c> (run_duration, table_stale, schedule_missed).</summary>
    public TimeSpan? Over { get; init; }

    /// <summary>
    /// For run_duration: the limit counts from the run's job slot (<c>from: slot</c>), not from its start: seed 003's
    /// "finish by 03:00" for a 02:00 slot is <c>over: 1h, from: slot</c>, and a run that waited in the queue is late too.
    /// A run no slot asked for counts from its start.
    /// </summary>
    public bool FromSlot { get; init; }

    /// <summary>The share of <c>over</c> (invalid_ratio), 0 to 1.</summary>
    public double? Ratio { get; init; }

    /// <summary>Only these jobs' runs and slots; empty for all (runs outside a job included).</summary>
    public IReadOnlyList<string> Jobs { get; init; } = [];

    /// <summary>Only these tables or models; empty for all of those the condition applies to.</summary>
    public IReadOnlyList<QualifiedName> Tables { get; init; } = [];

    /// <summary>While it fires, the message is sent again this often; null sends it once.</summary>
    public TimeSpan? RepeatInterval { get; init; }

    /// <summary>True when a message is sent as the condition clears.</summary>
    public bool SendResolved { get; init; } = true;

    /// <summary>True when the rule watches runs of <paramref name="job"/> (null: a run outside any job).</summary>
    public bool Watches(string? job) => Jobs.Count == 0 || (job is not null && Jobs.Contains(job, StringComparer.Ordinal));

    /// <summary>True when the rule watches <paramref name="table"/>.</summary>
    public bool Watches(QualifiedName table) => Tables.Count == 0 || Tables.Contains(table);
}
