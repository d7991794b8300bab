using Alquimia.Operations;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// Every relation of a project as <c>alquimia setup</c> creates it, empty, in a throwaway warehouse: the columns and
/// types of each source's bronze table, each model and each <c>_invalidos</c> table, from DuckDB binding the models'
/// SQL against the sources' declared columns. No data and no local run are needed. The deploy writes from it what
/// Spark cannot infer (the watermark variable's type, the column lists of a MERGE), and DuckDB's binding is the
/// bundle's semantic check: a model reading a table nothing creates, or a column its upstream lacks, stops the deploy.
/// </summary>
public sealed class ProjectShape
{
    private readonly Dictionary<QualifiedName, IReadOnlyList<ColumnInfo>> _columns;

    private ProjectShape(Project project, Dictionary<QualifiedName, IReadOnlyList<ColumnInfo>> columns, IReadOnlyList<string> problems)
    {
        Project = project;
        _columns = columns;
        Problems = problems;
    }

    /// <summary>The project this is the shape of.</summary>
    public Project Project { get; }

    /// <summary>
    /// What stops the deploy before any statement is printed, each naming the relation and the fix: a relation DuckDB
    /// could not create empty (a model reading a table nothing creates, a column its upstream lacks), a MERGE key, a
    /// watermark or an updated_at the model does not return, an expectation that is not a condition.
    /// </summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Builds the shape of <paramref name="project"/> in a warehouse of its own, deleted afterwards.</summary>
    public static ProjectShape Of(Project project)
    {
        var folder = Directory.CreateTempSubdirectory("alquimia-deploy-");
        try
        {
            var columns = new Dictionary<QualifiedName, IReadOnlyList<ColumnInfo>>();
            using var warehouse = EmbeddedWarehouse.Open(Path.Combine(folder.FullName, "shape.duckdb"), threads: 1, memoryLimit: "256MB");
            var report = ProjectSetup.Run(warehouse, project);
            foreach (var item in report.Items.Where(item => item.Outcome is SetupOutcome.Created or SetupOutcome.Existed))
            {
                columns[item.Name] = RelationCatalog.Columns(warehouse.Connection, item.Name);
                if (project.FindModel(item.Name) is { Config.Quarantines: true } model)
                {
                    var quarantine = QuarantineTable.For(model);
                    columns[quarantine] = RelationCatalog.Columns(warehouse.Connection, quarantine);
                }
            }

            // What reads a relation that failed is skipped, not failed: the failure alone is the problem to fix.
            var problems = report.Items.Where(item => item.Outcome == SetupOutcome.Failed)
                .Select(item => $"{item.Name}: {item.Message}").ToList();
            problems.AddRange(project.Models.Where(model => columns.ContainsKey(model.Name))
                .SelectMany(model => ProblemsOf(warehouse, model, columns[model.Name])));
            return new ProjectShape(project, columns, problems);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// What the bundle's statements need of a model beyond binding: the keys its MERGE matches on, its watermark or
    /// updated_at, and its expectations typed BOOLEAN (Spark would take a number for a condition no more than DuckDB).
    /// </summary>
    private static IEnumerable<string> ProblemsOf(EmbeddedWarehouse warehouse, ModelDefinition model, IReadOnlyList<ColumnInfo> columns)
    {
        var config = model.Config;
        if (config.Materialized == MaterializationKind.ApplyChanges)
        {
            string? unportable = null;
            try
            {
                ModelStatements.FeedOf(model);
            }
            catch (UnportableSqlException error)
            {
                unportable = error.Message;
            }

            if (unportable is not null)
            {
                yield return unportable;
            }

            yield break;
        }

        bool Has(string column) => columns.Any(info => string.Equals(info.Name, column, StringComparison.OrdinalIgnoreCase));
        var needed = config.Materialized is MaterializationKind.Incremental or MaterializationKind.Snapshot
            ? config.UniqueKey.Select(key => ("unique_key", key)).Concat(new[] { ("watermark", config.Watermark), ("updated_at", config.UpdatedAt) }
                .Where(pair => pair.Item2 is not null).Select(pair => (pair.Item1, pair.Item2!)))
            : [];
        foreach (var (role, column) in needed.Where(pair => !Has(pair.Item2)))
        {
            yield return $"{model.Name} ({model.FilePath}): its {role} '{column}' is not one of its columns ({string.Join(", ", columns.Select(info => info.Name))}); return it from the SELECT or fix the name.";
        }

        foreach (var rule in config.Expectations)
        {
            string? type;
            string? error = null;
            try
            {
                type = RelationCatalog.DescribeQuery(warehouse.Connection, $"SELECT ({rule.Expression}) AS rule FROM {model.Name.Sql} AS model")[0].Type;
            }
            catch (DuckDbEngineException bindError)
            {
                type = null;
                error = bindError.Message;
            }

            if (type != "BOOLEAN")
            {
                yield return $"{model.Name} ({model.FilePath}, line {rule.Line}): expectation {rule.Name} is {(type is null ? $"not valid SQL over the model ({error})" : $"of type {type}, not a condition")}; write it as a condition that is true for a valid row.";
            }
        }
    }

    /// <summary>True when setup created <paramref name="relation"/>; when false, the reason is among <see cref="Problems"/>.</summary>
    public bool Knows(QualifiedName relation) => _columns.ContainsKey(relation);

    /// <summary>The columns of <paramref name="relation"/> as setup created it, in order.</summary>
    /// <exception cref="AlquimiaException">Setup could not create it: its failure is among <see cref="Problems"/>.</exception>
    public IReadOnlyList<ColumnInfo> Columns(QualifiedName relation) =>
        _columns.TryGetValue(relation, out var columns)
            ? columns
            : throw new AlquimiaException($"{relation} could not be created empty with DuckDB, so its columns are unknown: `alquimia setup` says why.");

    /// <summary>The type DuckDB gives <paramref name="column"/> of <paramref name="relation"/>.</summary>
    public string TypeOf(QualifiedName relation, string column) =>
        Columns(relation).FirstOrDefault(info => string.Equals(info.Name, column, StringComparison.OrdinalIgnoreCase))?.Type
            ?? throw new AlquimiaException($"{relation} has no column '{column}' (its columns: {string.Join(", ", Columns(relation).Select(info => info.Name))}).");
}
