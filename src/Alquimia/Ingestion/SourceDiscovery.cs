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
    /// <remarks>
    /// A table synced before (it has a landing folder) that the database no longer lists is kept too: its step then
    /// fails, naming it, as seed 003's validation fails on a missing table, where dropping it from the run would say
    /// nothing. A table dropped on purpose is added to the source's <c>exclude</c>.
    /// </remarks>
    public static Project Discover(Project project, CancellationToken cancellationToken = default) =>
        Expand(project, source =>
        {
            var listed = SourceConnectors.Default.For(source).ListTables(source, cancellationToken);
            var vanished = Landed(project, source).Where(landed => !listed.Contains(landed, StringComparer.OrdinalIgnoreCase));
            return [.. listed, .. vanished];
        });

    /// <summary>
    /// The project with the tables of its discovering sources that have a landing folder: what a replay rebuilds,
    /// found without the database (which a replay never contacts).
    /// </summary>
    public static Project DiscoverLanded(Project project) => Expand(project, source => Landed(project, source));

    /// <summary>
    /// The tables of <paramref name="source"/> that have a landing folder, by name: in the lake, and for an <c>s3://</c>
    /// root in the bucket too, which a new machine's lake (or a <c>bronze: false</c> source's, which keeps no copy) lacks.
    /// </summary>
    private static List<string> Landed(Project project, SourceDefinition source)
    {
        var folder = new DirectoryInfo(Landing.LandingFiles.SourceFolder(project, source));
        IEnumerable<string> local = folder.Exists ? folder.EnumerateDirectories().Select(table => table.Name).Where(name => !name.StartsWith('.')) : [];
        return [.. local.Union(Landing.Storage.LandingStores.TablesInBucket(source, CancellationToken.None), StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static Project Expand(Project project, Func<SourceDefinition, List<string>> list)
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

            var listed = list(source).Where(discovery.Allows).ToList();
            CheckNames(source, listed);
            // A model may have written the name in another case than the database's (bronze.clientes for "Clientes"):
            // the table is extracted by the name the database gives it.
            var tables = source.Tables
                .Select(table => table.Discovered && listed.FirstOrDefault(name => name.Equals(table.Name, StringComparison.OrdinalIgnoreCase)) is { } actual
                    ? table with { Name = actual }
                    : table)
                .ToList();
            var found = listed
                .Select(name => new SourceTable(name, discovery.Line) { Discovered = true, Checks = source.Checks })
                .Where(table => taken.Add(table.BronzeName));
            sources.Add(source with { Tables = [.. tables, .. found] });
        }

        return project with { Sources = sources };
    }

    /// <summary>
    /// A table's name becomes its landing folder and its bronze table, whose names ignore case: a name that is not a
    /// plain folder name, or two that differ only in case, cannot both be synced.
    /// </summary>
    private static void CheckNames(SourceDefinition source, List<string> listed)
    {
        var unfit = listed.FirstOrDefault(name => name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0);
        var twins = listed.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
        if (unfit is null && twins is null)
        {
            return;
        }

        var problem = unfit is not null
            ? $"table \"{unfit}\" of {source.Options.TablesIn} has a name that cannot be a landing folder"
            : $"tables {string.Join(" and ", twins!.Select(name => $"\"{name}\""))} of {source.Options.TablesIn} differ only in case, and would share one bronze table";
        throw new AlquimiaException(
            $"Source '{source.Name}' ({Path.GetFileName(source.FilePath)}:{source.Discovery!.Line}, tables: all): {problem}. Leave it out with an 'exclude' pattern, or list the tables to sync instead of 'tables: all'.");
    }
}
