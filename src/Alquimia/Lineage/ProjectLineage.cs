using Alquimia.Graph;
using Alquimia.Ingestion.Landing;
using Alquimia.Materializations;
using Alquimia.Materializations.ApplyChanges;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Lineage;

/// <summary>
/// The column lineage of every model of a project, each analyzed after the models it reads so that a <c>*</c> over
/// an upstream model expands to that model's columns. A table's columns come from the warehouse's catalog when one is
/// given (what was built), else from the project: a bronze table's are its source's declared columns and the columns
/// bronze adds, a model's are its own lineage's when complete.
/// </summary>
public sealed class ProjectLineage
{
    private readonly Dictionary<QualifiedName, ModelLineage> _models = [];
    private readonly Dictionary<QualifiedName, IReadOnlyList<string>> _sourceColumns = [];
    private readonly Func<QualifiedName, IReadOnlyList<string>?> _warehouseColumns;

    private ProjectLineage(Project project, Func<QualifiedName, IReadOnlyList<string>?> warehouseColumns)
    {
        Project = project;
        _warehouseColumns = warehouseColumns;
        foreach (var (source, table) in project.SourceTables.Where(pair => pair.Table.Columns.Count > 0))
        {
            IEnumerable<string> rescued = BronzeSchema.TypesInferred(source.Format) ? [BronzeSchema.RescuedData] : [];
            _sourceColumns[table.BronzeName] = [.. table.Columns.Select(column => column.Name), .. rescued, .. LandingLoader.MetadataColumns.Select(column => column.Name)];
        }
    }

    public Project Project { get; }

    /// <summary>Each model's lineage, by name.</summary>
    public IReadOnlyDictionary<QualifiedName, ModelLineage> Models => _models;

    /// <summary>
    /// Analyzes every model of <paramref name="project"/>. <paramref name="warehouseColumns"/> gives a relation's
    /// columns as the warehouse has them (null when it has none); without it the project's files alone are read.
    /// </summary>
    public static ProjectLineage Build(Project project, Func<QualifiedName, IReadOnlyList<string>?>? warehouseColumns = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        var lineage = new ProjectLineage(project, warehouseColumns ?? (_ => null));
        using var connection = new CheckedConnection(new DuckDbSettings());
        connection.Open();
        var analyzer = new ColumnLineageAnalyzer(connection);
        foreach (var node in new PipelineGraph(project).Levels.SelectMany(level => level).OfType<ModelNode>())
        {
            var model = node.Model;
            lineage._models[model.Name] = analyzer.Analyze(model.Name, model.Sql, lineage.ColumnsOf);
        }

        return lineage;
    }

    /// <summary>The columns of a model's or table's relation built in <paramref name="warehouse"/>, read-only; null when absent.</summary>
    public static Func<QualifiedName, IReadOnlyList<string>?> CatalogOf(EmbeddedWarehouse warehouse)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        return name => warehouse.Read(connection => RelationCatalog.Columns(connection, name) is { Count: > 0 } columns ? (IReadOnlyList<string>)[.. columns.Select(column => column.Name)] : null);
    }

    /// <summary>The columns of <paramref name="name"/> as far as they are known, or null.</summary>
    public IReadOnlyList<string>? ColumnsOf(QualifiedName name)
    {
        if (_warehouseColumns(name) is { } built)
        {
            return built;
        }

        if (_models.TryGetValue(name, out var model))
        {
            if (!model.ColumnsComplete)
            {
                return null;
            }

            // Alquimia adds columns after the query's: an incremental model's load stamp, a snapshot's or an SCD type 2's version columns.
            var config = Project.FindModel(name)?.Config;
            IEnumerable<string> added = config?.Materialized switch
            {
                MaterializationKind.Incremental => [LoadStamp.Column],
                MaterializationKind.Snapshot => SnapshotMaterialization.VersionColumns,
                MaterializationKind.ApplyChanges when config.ApplyChanges is { ScdType: 2 } => ChangeFeedColumns.VersionColumns,
                _ => [],
            };
            // An apply_changes model does not write its feed's except_columns (the operation, the sequence).
            var notWritten = config?.ApplyChanges?.ExceptColumns ?? [];
            return
            [
                .. model.Columns.Select(column => column.Column).Where(column => !notWritten.Contains(column, StringComparer.OrdinalIgnoreCase)),
                .. added.Where(column => model.Column(column) is null),
            ];
        }

        return _sourceColumns.GetValueOrDefault(name);
    }

    /// <summary>The source table that <paramref name="name"/> (a bronze table) ingests, or null.</summary>
    public (SourceDefinition Source, SourceTable Table)? SourceOf(QualifiedName name) =>
        Project.SourceTables.Where(pair => pair.Table.BronzeName == name).Select(pair => ((SourceDefinition, SourceTable)?)pair).FirstOrDefault();
}
