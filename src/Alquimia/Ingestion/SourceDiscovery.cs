using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;

namespace Alquimia.Ingestion;

/// <summary>
/// Lists the tables of the <c>tables: all</c> sources (seed 003's "80+ tables"), so that a run syncs the ones that
/// appeared since the project was written: the project's files name only the tables models read.
/// </summary>
public static class SourceDiscovery
{
    /// <summary>
    /// The project with every table its discovering sources allow, found in their databases now; the project as it is
    /// when none discovers. A table that a model builds or another source declares is left to them.
    /// </summary>
    /// <exception cref="AlquimiaException">A source's database cannot be reached or read: one line naming the source.</exception>
    public static Project Discover(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.Sources.All(source => source.Discovery is null))
        {
            return project;
        }

        var taken = project.SourceTables.Select(pair => pair.Table.BronzeName).Concat(project.Models.Select(model => model.Name)).ToHashSet();
        var sources = new List<SourceDefinition>();
        foreach (var source in project.Sources)
        {
            if (source.Discovery is not { } discovery)
            {
                sources.Add(source);
                continue;
            }

            var found = PostgresSource.Tables(source, cancellationToken)
                .Where(discovery.Allows)
                .Select(name => new SourceTable(name, discovery.Line) { Discovered = true, Checks = source.Checks })
                .Where(table => taken.Add(table.BronzeName))
                .ToList();
            sources.Add(source with { Tables = [.. source.Tables, .. found] });
        }

        return project with { Sources = sources };
    }
}
