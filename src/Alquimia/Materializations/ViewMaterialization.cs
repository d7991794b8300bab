using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary><c>materialized: view</c>: the model is a view; nothing is stored and its query runs when it is read.</summary>
public sealed class ViewMaterialization : IMaterialization
{
    public MaterializationKind Kind => MaterializationKind.View;

    public MaterializationResult Build(ModelBuild build)
    {
        if (build.TargetKind == RelationKind.Table)
        {
            build.Execute($"DROP TABLE {build.Target.Sql}");
        }

        build.Execute($"CREATE OR REPLACE VIEW {build.Target.Sql} AS {build.Subquery}");
        return MaterializationResult.None;
    }

    public bool CreateEmpty(ModelBuild build)
    {
        if (build.TargetKind != RelationKind.None)
        {
            return false;
        }

        build.Execute($"CREATE VIEW {build.Target.Sql} AS {build.Subquery}");
        return true;
    }
}
