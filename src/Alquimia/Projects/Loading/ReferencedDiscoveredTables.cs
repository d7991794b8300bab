namespace Alquimia.Projects.Loading;

/// <summary>
/// Gives a <c>tables: all</c> source the bronze tables that models read before any sync has listed them: a model may
/// read <c>bronze.tb_chamado</c> when exactly one discovering source's patterns allow <c>tb_chamado</c>, and the graph
/// then has the table's ingestion upstream of the model, as if it were declared.
/// </summary>
internal static class ReferencedDiscoveredTables
{
    public static List<SourceDefinition> Add(IReadOnlyList<SourceDefinition> sources, IReadOnlyList<ModelFile> models, LoadProblems problems)
    {
        var discovering = sources.Where(source => source.Discovery is not null).ToList();
        if (discovering.Count == 0)
        {
            return [.. sources];
        }

        var declared = sources.SelectMany(source => source.Tables).Select(table => table.BronzeName)
            .Concat(models.Select(model => model.Definition.Name))
            .ToHashSet();
        var found = new Dictionary<SourceDefinition, List<SourceTable>>();
        var referenced = models
            .SelectMany(model => model.Sites.Select(site => (model, site)))
            .Where(pair => pair.site.Name is { Schema: "bronze" } name && !declared.Contains(name))
            .GroupBy(pair => pair.site.Table, StringComparer.Ordinal);
        foreach (var reference in referenced)
        {
            var owners = discovering.Where(source => source.Discovery!.Allows(reference.Key)).ToList();
            if (owners.Count > 1)
            {
                var (model, site) = reference.First();
                problems.Add(model.Definition.FilePath, site.Line,
                    $"Model '{model.Definition.Name}' reads bronze.{reference.Key}, which the 'tables: all' of two sources allows: {string.Join(" and ", owners.Select(owner => $"'{owner.Name}'"))}. "
                    + "Exclude it from one of them, or declare it in the source it comes from.");
            }

            // An ambiguous table goes to the first source too: its problem is reported once, not again as unknown.
            if (owners.Count > 0)
            {
                var owner = owners[0];
                (found.TryGetValue(owner, out var tables) ? tables : found[owner] = []).Add(new SourceTable(reference.Key, owner.Discovery!.Line) { Discovered = true, Checks = owner.Checks });
            }
        }

        return [.. sources.Select(source => found.TryGetValue(source, out var tables) ? source with { Tables = [.. source.Tables, .. tables] } : source)];
    }
}
