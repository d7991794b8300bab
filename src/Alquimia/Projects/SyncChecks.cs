namespace Alquimia.Projects;

/// <summary>
/// The checks made after each sync of a source table (seed 003's "no table came back empty"), from <c>checks:</c> of
/// the source, with a table's own <c>checks:</c> overriding it key by key. A check that fires marks the ingestion
/// step <c>warning</c>; it never fails it. "Came back empty when it had rows before" needs no key: it is always on for
/// full_refresh tables of database sources.
/// </summary>
public sealed record SyncChecks
{
    /// <summary>No check beyond the always-on ones.</summary>
    public static SyncChecks None { get; } = new();

    /// <summary>
    /// The share (0 to 1) by which a sync's rows may fall below the previous sync's before it is a warning: 0.5 warns
    /// when a table comes back with less than half its rows. For full_refresh tables, and for files sources whose
    /// each batch of files is a whole export of the table. Null (the default) checks no drop.
    /// </summary>
    public double? MaxRowDrop { get; init; }

    /// <summary>How long a sync may take, extraction and loading into bronze, before it is a warning. Null (the default) checks no duration.</summary>
    public TimeSpan? WarnAfter { get; init; }

    /// <summary>These checks with every key they do not set taken from <paramref name="defaults"/> (a table's over its source's).</summary>
    public SyncChecks Over(SyncChecks defaults) => new()
    {
        MaxRowDrop = MaxRowDrop ?? defaults.MaxRowDrop,
        WarnAfter = WarnAfter ?? defaults.WarnAfter,
    };
}
