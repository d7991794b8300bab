namespace Alquimia.Projects;

/// <summary>
/// How an <c>apply_changes</c> model applies its change feed, with Lakeflow's AUTO CDC names (docs/projects.md says
/// what each key follows). Read from the model's front matter; the loader has checked that the keys and sequence are
/// given and that the options agree with the SCD type. Whether the columns exist is known only when the query is bound.
/// </summary>
public sealed record ApplyChangesSettings
{
    /// <summary>The feed's columns that identify a row of the target (KEYS).</summary>
    public required IReadOnlyList<string> Keys { get; init; }

    /// <summary>The feed's column that orders the changes of a key, later wins (SEQUENCE BY).</summary>
    public required string SequenceBy { get; init; }

    /// <summary>The SQL condition over a feed row true of a delete (APPLY AS DELETE WHEN); null when the feed has none.</summary>
    public string? ApplyAsDeletes { get; init; }

    /// <summary>The SQL condition true of a truncate of the whole table (APPLY AS TRUNCATE WHEN); SCD type 1 only.</summary>
    public string? ApplyAsTruncates { get; init; }

    /// <summary>True keeps the target's value of a column an update leaves NULL (IGNORE NULL UPDATES). The default is false.</summary>
    public bool IgnoreNullUpdates { get; init; }

    /// <summary>1 keeps the latest version of each key, 2 keeps every version (STORED AS SCD TYPE). The default is 1.</summary>
    public int ScdType { get; init; } = 1;

    /// <summary>SCD type 2: the columns whose change opens a new version; empty means every column but the keys.</summary>
    public IReadOnlyList<string> TrackHistoryOn { get; init; } = [];

    /// <summary>SCD type 2: the columns whose change does not open a new version (their value is updated in place).</summary>
    public IReadOnlyList<string> TrackHistoryExcept { get; init; } = [];

    /// <summary>The feed's columns not written to the target: the operation, the sequence, bronze's ingestion columns.</summary>
    public IReadOnlyList<string> ExceptColumns { get; init; } = [];

    /// <summary>The front matter's line of <c>materialized: apply_changes</c>, where errors found at build time point.</summary>
    public int Line { get; init; }
}
