using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// Which rows one build of a model reads, decided once per build: the materialization's choice of path and what the
/// model's own SQL sees through is_incremental() and watermark_lower_bound() come from this one value, so they cannot
/// disagree.
/// </summary>
/// <param name="RebuildsTable">
/// True when the build replaces the whole relation: <c>--full-refresh</c>, or no table to update yet (the first build,
/// or a model that was a view). Incremental and delete_insert models take their full-rebuild path then.
/// </param>
/// <param name="WatermarkLowerBound">
/// The SQL constant the build compares the model's watermark column against (the stored watermark minus the lookback,
/// typed like the watermark); null when the build reads every row.
/// </param>
internal sealed record BuildScope(bool RebuildsTable, string? WatermarkLowerBound)
{
    /// <summary>
    /// True when the build reads only the rows at or past <see cref="WatermarkLowerBound"/>: an incremental (or apply_changes) model whose
    /// table exists and has a stored watermark, without <c>--full-refresh</c>. An incremental model whose table exists
    /// with no watermark (created empty by <c>alquimia setup</c>) merges every row: not incremental in this sense.
    /// </summary>
    public bool IsIncremental => WatermarkLowerBound is not null;

    /// <summary>The scope of <paramref name="build"/>, from its target as the build finds it.</summary>
    public static BuildScope Of(ModelBuild build)
    {
        var rebuildsTable = build.FullRefresh || build.TargetKind != RelationKind.Table;
        var readsPastWatermark = !rebuildsTable && build.Model.Config.Materialized is MaterializationKind.Incremental or MaterializationKind.ApplyChanges;
        // A watermark stored for another column (the model's watermark was changed) says nothing of this one.
        var bound = readsPastWatermark && build.StoredWatermark is { } stored
            && string.Equals(stored.Column, build.Model.Config.Watermark, StringComparison.OrdinalIgnoreCase)
            ? Watermarks.LowerBound(stored, build.Model.Config.Lookback)
            : null;
        return new BuildScope(rebuildsTable, bound);
    }
}
