using Alquimia.Ingestion;
using Alquimia.Ingestion.Cdc;
using Alquimia.Projects;

namespace Alquimia.Operations;

/// <summary>What <c>alquimia cdc setup</c> found or did for one CDC source.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Lines">One line per thing set up (the publication, the slot); empty when it failed.</param>
/// <param name="Error">Why it could not be set up, every unmet prerequisite with its fix; null when it was.</param>
public sealed record ChangeCaptureReport(string Source, IReadOnlyList<string> Lines, string? Error);

/// <summary>A CDC source's replication slot in its database, as <c>/metrics</c> and the <c>slot_at_risk</c> alert read it.</summary>
/// <param name="WalStatus"><c>reserved</c>, <c>extended</c>, <c>unreserved</c> (its WAL is about to go) or <c>lost</c>.</param>
/// <param name="RetainedBytes">WAL kept for the slot (from its restart position).</param>
/// <param name="LagBytes">WAL written since the position the slot was last acknowledged at: what the next sync reads through.</param>
/// <param name="SafeBytes">WAL that can still be written before the slot is in danger of invalidation; null without a limit.</param>
/// <param name="LimitBytes">PostgreSQL's <c>max_slot_wal_keep_size</c>; null when unlimited.</param>
public sealed record CdcSlotState(string Source, string Slot, string? WalStatus, long RetainedBytes, long LagBytes, long? SafeBytes, long? LimitBytes)
{
    /// <summary>The share of the limit the slot retains (0 to 1, or more); null without a limit.</summary>
    public double? ShareOfLimit => LimitBytes is { } limit and > 0 ? (double)RetainedBytes / limit : null;
}

/// <summary>A CDC source that <c>alquimia serve</c> syncs continuously, with what is downstream of it.</summary>
/// <param name="Source">The source's name; the micro-batches select <c>source:&lt;name&gt;+</c>.</param>
/// <param name="Every">How often a micro-batch starts at the latest.</param>
/// <param name="MaxChanges">The most changes one micro-batch lands; when one lands that many, the next starts at once. Null: no limit.</param>
public sealed record ContinuousSource(string Source, TimeSpan Every, long? MaxChanges);

/// <summary>Setting up the project's CDC sources (type <c>postgres_cdc</c>) in their databases.</summary>
public static class ChangeCapture
{
    /// <summary>The slot of each CDC source, read from its database now; a source that cannot be read is left out.</summary>
    public static List<CdcSlotState> Slots(Project project, CancellationToken cancellationToken = default) =>
        SlotHealth.Read(project, cancellationToken);

    /// <summary>True when the project has a CDC source.</summary>
    public static bool HasSources(Project project) => project.Sources.Any(source => source.Options is PostgresCdcOptions);

    /// <summary>The CDC sources whose file says <c>continuous:</c>.</summary>
    public static List<ContinuousSource> Continuous(Project project) =>
        [.. project.Sources.Where(source => source.Options is PostgresCdcOptions { Continuous: not null })
            .Select(source => PostgresCdcOptions.Of(source).Continuous! with { Source = source.Name })];

    /// <summary>
    /// Creates each CDC source's publication and slot, after checking what logical replication needs; only
    /// <paramref name="sourceName"/> when given. Idempotent.
    /// </summary>
    /// <exception cref="AlquimiaException">The project has no such CDC source, or none at all.</exception>
    public static List<ChangeCaptureReport> Setup(Project project, string? sourceName, CancellationToken cancellationToken = default)
    {
        var type = new PostgresCdcConnector().Type;
        var sources = project.Sources.Where(source => source.Type == type && (sourceName is null || source.Name == sourceName)).ToList();
        if (sources.Count == 0)
        {
            throw new AlquimiaException(sourceName is null
                ? $"The project has no source of type {type}: add one (sources/<name>.yml with type: {type}) to capture a PostgreSQL database's changes."
                : $"The project has no source '{sourceName}' of type {type}; its CDC sources are: {string.Join(", ", project.Sources.Where(source => source.Type == type).Select(source => source.Name).DefaultIfEmpty("none"))}.");
        }

        return [.. sources.Select(source =>
        {
            try
            {
                return new ChangeCaptureReport(source.Name, ChangeCaptureSetup.Run(source, cancellationToken), null);
            }
            catch (AlquimiaException error)
            {
                return new ChangeCaptureReport(source.Name, [], error.Message);
            }
        })];
    }
}
