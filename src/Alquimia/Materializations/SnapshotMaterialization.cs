using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// <c>materialized: snapshot</c>: a slowly changing dimension of type 2. Each change of a row (by the check columns,
/// or a newer updated_at) closes its current version (valid_to, is_current = false) and adds a new one. History
/// cannot be rebuilt from the source, so <c>--full-refresh</c> keeps it, as dbt's snapshots do: only a build asked to
/// drop the model's history (<see cref="ModelBuild.FullRefresh"/>, from <c>--drop-history</c>) starts it again.
/// </summary>
public sealed class SnapshotMaterialization : IMaterialization
{
    private const string Batch = "__alquimia_snapshot";
    private const string Changed = "__alquimia_changed";

    /// <summary>The columns a snapshot adds after the query's own.</summary>
    public static readonly IReadOnlyList<string> VersionColumns = ["valid_from", "valid_to", "is_current"];

    public MaterializationKind Kind => MaterializationKind.Snapshot;

    public MaterializationResult Build(ModelBuild build)
    {
        var config = build.Model.Config;
        var queryColumns = build.QueryColumns;
        var validFrom = ValidFrom(build, "batch");
        var latest = $"SELECT * FROM {build.Subquery} AS model " + SqlLists.LatestPerKey(config.UniqueKey, config.UpdatedAt, queryColumns);

        if (build.FullRefresh || build.TargetKind != RelationKind.Table)
        {
            var dropped = TableSwap.RowsBefore(build);
            RelationCatalog.Drop(build.Connection, build.Target, build.CancellationToken);
            build.Execute(
                $"CREATE TABLE {build.Target.Sql} AS SELECT *, {validFrom} AS valid_from, CAST(NULL AS TIMESTAMP) AS valid_to, TRUE AS is_current FROM ({latest}) AS batch");
            return new MaterializationResult(build.Count(build.Target), 0, dropped);
        }

        var columns = SchemaEvolution.Align(build, queryColumns);
        build.Execute($"CREATE OR REPLACE TEMP TABLE {Batch} AS {latest}");
        build.Execute(
            $"""
            CREATE OR REPLACE TEMP TABLE {Changed} AS
            SELECT batch.* FROM temp.{Batch} AS batch
            JOIN {build.Target.Sql} AS target ON target.is_current AND {SqlLists.KeysMatch(config.UniqueKey, "target", "batch")}
            WHERE {ChangeCondition(config, columns)}
            """);

        var closed = build.Execute(
            $"UPDATE {build.Target.Sql} AS target SET valid_to = {ValidFrom(build, "changed")}, is_current = FALSE "
            + $"FROM temp.{Changed} AS changed WHERE target.is_current AND {SqlLists.KeysMatch(config.UniqueKey, "target", "changed")}");
        var opened = build.Execute(
            $"""
            INSERT INTO {build.Target.Sql} ({SqlLists.Columns(columns)}, valid_from, valid_to, is_current)
            SELECT {SqlLists.Columns(columns, "batch")}, {validFrom}, NULL, TRUE FROM temp.{Batch} AS batch
            WHERE EXISTS (SELECT 1 FROM temp.{Changed} AS changed WHERE {SqlLists.KeysMatch(config.UniqueKey, "changed", "batch")})
               OR NOT EXISTS (SELECT 1 FROM {build.Target.Sql} AS target WHERE target.is_current AND {SqlLists.KeysMatch(config.UniqueKey, "target", "batch")})
            """);
        build.Execute($"DROP TABLE temp.{Batch}; DROP TABLE temp.{Changed}");
        return new MaterializationResult(opened, closed, 0);
    }

    public bool CreateEmpty(ModelBuild build) =>
        TableSwap.CreateEmpty(build, $"SELECT *, CAST(NULL AS TIMESTAMP) AS valid_from, CAST(NULL AS TIMESTAMP) AS valid_to, TRUE AS is_current FROM {build.Subquery}");

    /// <summary>The timestamp strategy dates a version by the row's own updated_at; the check strategy by the run's start.</summary>
    private static string ValidFrom(ModelBuild build, string alias) =>
        build.Model.Config.SnapshotStrategy == SnapshotStrategy.Timestamp
            ? $"CAST({SqlLists.Qualified(alias, build.Model.Config.UpdatedAt!)} AS TIMESTAMP)"
            : $"CAST({SqlText.TimestampTz(build.RunStartedAt)} AS TIMESTAMP)";

    private static string ChangeCondition(ModelConfig config, IReadOnlyList<ColumnInfo> columns)
    {
        if (config.SnapshotStrategy == SnapshotStrategy.Timestamp)
        {
            return $"{SqlLists.Qualified("batch", config.UpdatedAt!)} > {SqlLists.Qualified("target", config.UpdatedAt!)}";
        }

        // An upstream's _loaded_at changes when that model rewrites the row (a full refresh rewrites them all), not when
        // the row does: it is not a change of the row.
        var compared = config.CheckColumns.Count > 0
            ? config.CheckColumns
            : columns.Select(column => column.Name)
                .Where(name => !config.UniqueKey.Contains(name, StringComparer.OrdinalIgnoreCase) && !LoadStamp.IsStamp(name)).ToList();
        return SqlLists.AnyDiffers(compared, "target", "batch");
    }
}
