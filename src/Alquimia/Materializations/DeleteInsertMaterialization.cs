using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// <c>materialized: delete_insert</c>: the rows inside the model's <c>window</c> (e.g. the last 7 days of
/// data_referencia) are deleted and inserted again from the query, then rows past the retention are deleted — seed
/// 004's daily refresh. The first build and <c>--full-refresh</c> rebuild the whole table.
/// </summary>
public sealed class DeleteInsertMaterialization : IMaterialization
{
    public MaterializationKind Kind => MaterializationKind.DeleteInsert;

    public MaterializationResult Build(ModelBuild build)
    {
        if (build.Scope.RebuildsTable)
        {
            var replaced = TableSwap.RowsBefore(build);
            using var check = QualityGate.Check(build, $"SELECT * FROM {build.Subquery}", QuarantineScope.Everything);
            var rows = TableSwap.Replace(build, check.ValidRowsSql);
            check.Dispose();
            return new MaterializationResult(rows, 0, replaced + Retention.Apply(build)) { Quality = check.Outcome };
        }

        var window = build.Model.Config.Window!;
        var columns = SchemaEvolution.Align(build, build.QueryColumns, out var addedColumns);
        using var windowCheck = QualityGate.Check(build, $"SELECT * FROM {build.Subquery} AS model WHERE ({window})", QuarantineScope.Window);
        var deleted = build.Execute($"DELETE FROM {build.Target.Sql} WHERE ({window})");
        var inserted = build.Execute(
            $"INSERT INTO {build.Target.Sql} ({SqlLists.Columns(columns)}) "
            + $"SELECT {SqlLists.Columns(columns)} FROM ({windowCheck.ValidRowsSql}) AS model{TableSwap.OrderBy(build.Model)}");
        windowCheck.Dispose();
        return new MaterializationResult(inserted, 0, deleted + Retention.Apply(build)) { Quality = windowCheck.Outcome, WrittenRows = addedColumns ? null : $"({window})" };
    }

    public bool CreateEmpty(ModelBuild build) => TableSwap.CreateEmpty(build, $"SELECT * FROM {build.Subquery}");
}
