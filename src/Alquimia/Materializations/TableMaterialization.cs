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
        long rows;
        QualityOutcome? quality;
        using (var check = QualityGate.Check(build, $"SELECT * FROM {build.Subquery}", QuarantineScope.Everything))
        {
            rows = TableSwap.Replace(build, check.ValidRowsSql);
            quality = check.Outcome;
        }

        var expired = Retention.Apply(build);
        return new MaterializationResult(rows, 0, previousRows + expired) { Quality = quality };
    }

    public bool CreateEmpty(ModelBuild build) => TableSwap.CreateEmpty(build, $"SELECT * FROM {build.Subquery}");
}
