using Alquimia.Graph;

namespace Alquimia.Projects.Loading;

/// <summary>
/// The checks across files, once every file is read: one name per relation (models, bronze tables, sources), every
/// table a model reads exists, and no model depends on itself through others.
/// </summary>
internal static class ProjectValidator
{
    public static void Validate(IReadOnlyList<SourceDefinition> sources, IReadOnlyList<ModelFile> models, LoadProblems problems)
    {
        var owners = new Dictionary<QualifiedName, string>();
        CheckSources(sources, owners, problems);
        CheckModelNames(models, owners, problems);
        CheckReferences(models, owners, problems);
        CheckLandedOnly(sources, models, problems);
        CheckCycle(models, problems);
    }

    private static void CheckSources(IReadOnlyList<SourceDefinition> sources, Dictionary<QualifiedName, string> owners, LoadProblems problems)
    {
        var sourceFiles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in sources)
        {
            if (!sourceFiles.TryAdd(source.Name, source.FilePath))
            {
                problems.Add(source.FilePath, 0,
                    $"Source '{source.Name}' is defined twice, in {problems.Relative(sourceFiles[source.Name])} and here; both would land in the same folder. Rename one.");
            }

            foreach (var table in source.Tables)
            {
                var where = $"{problems.Relative(source.FilePath)}:{table.Line}";
                if (!owners.TryAdd(table.BronzeName, $"table '{table.Name}' of source '{source.Name}' ({where})"))
                {
                    problems.Add(source.FilePath, table.Line,
                        $"Table '{table.Name}' is also declared by {owners[table.BronzeName]}; both would append to {table.BronzeName}. Keep it in one source.");
                }
            }
        }
    }

    private static void CheckModelNames(IReadOnlyList<ModelFile> models, Dictionary<QualifiedName, string> owners, LoadProblems problems)
    {
        foreach (var model in models.Select(file => file.Definition))
        {
            var file = problems.Relative(model.FilePath);
            if (model.Name.Name.Contains(ReservedNames.Marker, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(model.FilePath, 0,
                    $"Model {model.Name} ({file}) has '{ReservedNames.Marker}' in its name, which Alquimia keeps for the tables it builds with (e.g. {model.Name.Name}{ReservedNames.Marker}_new while a table is rebuilt). Rename the file.");
                continue;
            }

            if (owners.TryGetValue(model.Name, out var owner))
            {
                var fix = owner.StartsWith("model", StringComparison.Ordinal) ? "Rename one of the files." : "Rename the model, or remove the table from the source.";
                problems.Add(model.FilePath, 0, $"Two things build {model.Name}: {owner} and the model in {file}. {fix}");
                continue;
            }

            owners[model.Name] = $"model {model.Name} ({file})";
        }

        foreach (var model in models.Select(file => file.Definition).Where(model => model.Config.Quarantines))
        {
            var quarantine = new QualifiedName(model.Name.Schema, model.Name.Name + ReservedNames.QuarantineSuffix);
            if (owners.TryGetValue(quarantine, out var owner))
            {
                problems.Add(model.FilePath, 0,
                    $"{quarantine} is {owner}, and also the quarantine table of {model.Name} ({problems.Relative(model.FilePath)}), whose quarantine rules write their failing rows there. Rename the other one.");
            }
        }
    }

    private static void CheckReferences(IReadOnlyList<ModelFile> models, Dictionary<QualifiedName, string> owners, LoadProblems problems)
    {
        var known = owners.Keys.Select(name => name.ToString()).Order(StringComparer.Ordinal).ToList();
        foreach (var model in models)
        {
            var name = model.Definition.Name;
            foreach (var site in model.Sites)
            {
                if (site.Name is null)
                {
                    var layered = owners.Keys.FirstOrDefault(owner => string.Equals(owner.Name, site.Table, StringComparison.OrdinalIgnoreCase))?.ToString()
                        ?? $"silver.{site.Table}";
                    problems.Add(model.Definition.FilePath, site.Line,
                        $"Model '{name}' reads '{site.Table}' without its layer; write it as layer.name (e.g. '{layered}').");
                }
                else if (!owners.ContainsKey(site.Name))
                {
                    problems.Add(model.Definition.FilePath, site.Line,
                        $"Model '{name}' reads '{site.Name}', which is neither a model nor a source.{Suggestions.DidYouMean(site.Name.ToString(), known)}");
                }
            }
        }
    }

    /// <summary>A model may not read the bronze table of a source that lands without loading (<c>bronze: false</c>): there is none.</summary>
    private static void CheckLandedOnly(IReadOnlyList<SourceDefinition> sources, IReadOnlyList<ModelFile> models, LoadProblems problems)
    {
        var landedOnly = sources.Where(source => !source.LoadsBronze)
            .SelectMany(source => source.Tables.Select(table => (table.BronzeName, source)))
            .GroupBy(pair => pair.BronzeName)
            .ToDictionary(group => group.Key, group => group.First().source);
        if (landedOnly.Count == 0)
        {
            return;
        }

        foreach (var model in models)
        {
            foreach (var site in model.Sites.Where(site => site.Name is { } name && landedOnly.ContainsKey(name)))
            {
                var source = landedOnly[site.Name!];
                problems.Add(model.Definition.FilePath, site.Line,
                    $"Model '{model.Definition.Name}' reads {site.Name}, and source '{source.Name}' lands its tables without loading them into bronze (bronze: false in {problems.Relative(source.FilePath)}). "
                    + "Remove 'bronze: false' from the source (its next sync loads every batch landed so far), or read the table from another source.");
            }
        }
    }

    private static void CheckCycle(IReadOnlyList<ModelFile> models, LoadProblems problems)
    {
        var byName = models.GroupBy(model => model.Definition.Name).ToDictionary(group => group.Key, group => group.First());
        var edges = byName.Values.SelectMany(model => model.Definition.References
            .Where(byName.ContainsKey)
            .Select(reference => (reference, model.Definition.Name)));
        var cycle = new Dag<QualifiedName>(byName.Keys.OrderBy(name => name.ToString(), StringComparer.Ordinal), edges).FindCycle();
        if (cycle is null)
        {
            return;
        }

        // The first model of the path reads the one before it on the way back round; point at that reference.
        var first = byName[cycle[0]];
        var line = first.Sites.FirstOrDefault(site => site.Name == cycle[^2])?.Line ?? first.Definition.SqlLine;
        problems.Add(first.Definition.FilePath, line,
            $"The models read each other in a circle: {GraphCycleException.Describe(cycle.Select(name => name.ToString()))}. Remove one of these references.");
    }
}
