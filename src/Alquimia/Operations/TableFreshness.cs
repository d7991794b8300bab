using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Operations;

/// <summary>When one table of the project was last refreshed, and how old its alerts let it get.</summary>
/// <param name="Table">A source table's bronze or a model.</param>
/// <param name="RefreshedAt">When a step that writes it last succeeded; null when none ever did.</param>
/// <param name="StaleAfter">The shortest <c>over</c> of the <c>table_stale</c> alert rules that watch it; null when none does.</param>
public sealed record TableFreshness(QualifiedName Table, DateTimeOffset? RefreshedAt, TimeSpan? StaleAfter)
{
    /// <summary>
    /// Every table of <paramref name="project"/>, bronze first then model by model in name order: the dashboard lists
    /// them all, so that a table no run ever refreshed shows as such rather than missing.
    /// </summary>
    public static IReadOnlyList<TableFreshness> OfEveryTable(EmbeddedWarehouse warehouse, Project project)
    {
        var refreshed = Freshness.Read(warehouse).Tables;
        var staleRules = project.Alerts.Rules.Where(rule => rule.When == AlertCondition.TableStale && rule.Over is not null).ToList();
        return project.SourceTables.Select(pair => pair.Table.BronzeName).OrderBy(name => name.ToString(), StringComparer.Ordinal)
            .Concat(project.Models.Select(model => model.Name))
            .Select(table => new TableFreshness(
                table,
                refreshed.TryGetValue(table.ToString(), out var at) ? at : null,
                // A rule without tables watches every table, as the alert monitor reads it.
                staleRules.Where(rule => rule.Tables.Count == 0 || rule.Tables.Contains(table)).Min(rule => rule.Over)))
            .ToList();
    }

    /// <summary>True when a rule watches it and it is older than the rule allows at <paramref name="now"/>, or never refreshed.</summary>
    public bool IsStale(DateTimeOffset now) => StaleAfter is { } limit && (RefreshedAt is not { } at || now - at > limit);
}
