using Alquimia.Ingestion;
using Alquimia.Ingestion.Cdc;
using Alquimia.Projects;

namespace Alquimia.Operations;

/// <summary>What <c>alquimia cdc setup</c> found or did for one CDC source.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Lines">One line per thing set up (the publication, the slot); empty when it failed.</param>
/// <param name="Error">Why it could not be set up, every unmet prerequisite with its fix; null when it was.</param>
public sealed record ChangeCaptureReport(string Source, IReadOnlyList<string> Lines, string? Error);

/// <summary>Setting up the project's CDC sources (type <c>postgres_cdc</c>) in their databases.</summary>
public static class ChangeCapture
{
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
