using Alquimia.Projects;
using Alquimia.Quality;

namespace Alquimia.Materializations;

/// <summary>
/// <c>materialized: table</c>: the whole table is rebuilt on every run under a staging name and swapped in, so
/// readers see the old table or the new one, never half of one.
/// </summary>
public sealed class TableMaterialization : IMaterialization
{
    public MaterializationKind Kind => MaterializationKind.Table;

    public MaterializationResult Build(ModelBuild build)
    {
        var previousRows = build.TargetKind == Warehouse.RelationKind.Table ? build.Count(build.Target) : 0;
        var (validRows, quality) = QualityGate.Check(build, $"SELECT * FROM {build.Subquery}", QuarantineScope.Everything);
        var rows = TableSwap.Replace(build, validRows);
        QualityGate.Release(build);
        var expired = Retention.Apply(build);
        return new MaterializationResult(rows, 0, previousRows + expired) { Quality = quality };
    }

    public bool CreateEmpty(ModelBuild build) => TableSwap.CreateEmpty(build, $"SELECT * FROM {build.Subquery}");
}
