using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>
/// <c>materialized: apply_changes</c>: the model's query selects a change feed (rows carrying an operation and a
/// sequence: a CDC connector's change table, files with an operation column), and the changes read past the
/// watermark are applied to the table by key, as Databricks' AUTO CDC does: SCD type 1 (<see cref="Scd1Changes"/>) or
/// type 2 (<see cref="Scd2Changes"/>). Applying a change again changes nothing, so a batch read twice (the watermark's
/// inclusive bound, a retry) is harmless. The first build and <c>--full-refresh</c> apply the whole feed to a new table.
/// </summary>
public sealed class ApplyChangesMaterialization : IMaterialization
{
    public MaterializationKind Kind => MaterializationKind.ApplyChanges;

    public MaterializationResult Build(ModelBuild build)
    {
        var settings = SettingsOf(build);
        var rebuilds = build.Scope.RebuildsTable;
        var columns = ChangeFeedColumns.Of(build, settings);
        var state = new ChangeState(build, settings);
        var dropped = 0L;
        if (rebuilds)
        {
            dropped = TableSwap.RowsBefore(build);
            RelationCatalog.Drop(build.Connection, build.Target, build.CancellationToken);
            state.Drop();
            CreateTable(build, settings, columns);
        }
        else
        {
            SchemaEvolution.Align(build, columns.Target(settings));
        }

        state.CreateIfMissing();
        ChangeBatch.Read(build, settings, columns);
        var newest = Watermarks.Newest(build, ChangeBatch.Feed, columns.Watermark);
        var truncated = settings.ScdType == 1 ? Scd1Changes.Truncate(build, settings, state) : 0;
        var (inserted, updated, deleted) = settings.ScdType == 1
            ? Scd1Changes.Apply(build, settings, columns, state)
            : Scd2Changes.Apply(build, settings, columns, state);
        ChangeBatch.Drop(build);
        var stored = build.Scope.IsIncremental ? build.StoredWatermark : null;
        return new MaterializationResult(inserted, updated, dropped + truncated + deleted, Watermarks.Greatest(build, stored, newest));
    }

    public bool CreateEmpty(ModelBuild build)
    {
        var settings = SettingsOf(build);
        var columns = ChangeFeedColumns.Of(build, settings);
        new ChangeState(build, settings).CreateIfMissing();
        if (build.TargetKind != RelationKind.None)
        {
            return false;
        }

        CreateTable(build, settings, columns);
        return true;
    }

    /// <summary>Creates the model's table, empty: the feed's written columns, and for SCD type 2 the version columns typed as the sequence.</summary>
    private static void CreateTable(ModelBuild build, ApplyChangesSettings settings, ChangeFeedColumns columns)
    {
        var versions = settings.ScdType == 2
            ? $", CAST(NULL AS {columns.Sequence.Type}) AS {ChangeFeedColumns.StartAt}, CAST(NULL AS {columns.Sequence.Type}) AS {ChangeFeedColumns.EndAt}"
            : "";
        build.Execute($"CREATE TABLE {build.Target.Sql} AS SELECT {SqlLists.Columns(columns.Written, "model")}{versions} FROM {build.Subquery} AS model LIMIT 0");
    }

    private static ApplyChangesSettings SettingsOf(ModelBuild build) =>
        build.Model.Config.ApplyChanges
        ?? throw new ArgumentException($"Model '{build.Target}' is materialized as apply_changes but has no apply_changes settings.", nameof(build));
}
