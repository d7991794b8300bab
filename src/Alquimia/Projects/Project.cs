namespace Alquimia.Projects;

/// <summary>
/// A loaded, validated project: what <c>alquimia.yml</c>, <c>sources/*.yml</c> and <c>models/**.sql</c> say.
/// Immutable; loading it touched nothing but the project's files.
/// </summary>
/// <param name="Name">The project's name.</param>
/// <param name="Directory">The project folder, absolute.</param>
/// <param name="WarehousePath">The DuckDB warehouse file, absolute (relative paths in alquimia.yml are to the project folder).</param>
/// <param name="LakePath">The lake folder holding <c>landing/</c>, absolute.</param>
public sealed record Project(
    string Name,
    string Directory,
    string WarehousePath,
    string LakePath,
    ProjectSettings Settings,
    IReadOnlyList<SourceDefinition> Sources,
    IReadOnlyList<ModelDefinition> Models)
{
    /// <summary>Every source table, across sources.</summary>
    public IEnumerable<(SourceDefinition Source, SourceTable Table)> SourceTables =>
        Sources.SelectMany(source => source.Tables.Select(table => (source, table)));

    /// <summary>
    /// The names of the sources that land without loading (<c>bronze: false</c>). By source rather than by table: a
    /// <c>tables: all</c> source's tables are known only once synced, so a sync record is matched by its source.
    /// </summary>
    public IReadOnlySet<string> LandedOnlySources => Sources.Where(source => !source.LoadsBronze).Select(source => source.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The jobs of alquimia.yml, which <c>alquimia serve</c> runs on their schedules.</summary>
    public IReadOnlyList<JobDefinition> Jobs { get; init; } = [];

    /// <summary>The alerts of alquimia.yml: channels and rules, which <c>alquimia serve</c> watches.</summary>
    public AlertSettings Alerts { get; init; } = AlertSettings.None;

    /// <summary>The <c>serve</c> section of alquimia.yml: the read API's keys, rate limit and CORS origins.</summary>
    public ServeSettings Serve { get; init; } = ServeSettings.None;

    /// <summary>The dashboard of alquimia.yml: the KPI charts and listings the page of <c>alquimia serve</c> draws.</summary>
    public DashboardDefinition Dashboard { get; init; } = DashboardDefinition.None;

    /// <summary>The model that builds <paramref name="name"/>, or null.</summary>
    public ModelDefinition? FindModel(QualifiedName name) => Models.FirstOrDefault(model => model.Name == name);
}
