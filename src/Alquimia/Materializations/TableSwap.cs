using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// Builds a whole table under a staging name and swaps it in for the old one, all inside the model's transaction:
/// other connections read the old table until the commit and the new one after it, never a half-built one.
/// </summary>
internal static class TableSwap
{
    /// <summary>The suffix of staging tables; the loader refuses models with <see cref="ReservedNames.Marker"/> in their names, so it cannot collide.</summary>
    public const string StagingSuffix = ReservedNames.Marker + "_new";

    /// <summary>Builds <paramref name="selectSql"/> into the model's table; returns the rows it holds.</summary>
    /// <param name="beforeSwap">Runs on the staging table once it is written, before it replaces the old one.</param>
    public static long Replace(ModelBuild build, string selectSql, Action<QualifiedName>? beforeSwap = null)
    {
        var staging = new QualifiedName(build.Target.Schema, build.Target.Name + StagingSuffix);
        build.Execute($"DROP TABLE IF EXISTS {staging.Sql}");
        build.Execute($"CREATE TABLE {staging.Sql} AS {selectSql}{OrderBy(build.Model)}");
        beforeSwap?.Invoke(staging);
        RelationCatalog.Drop(build.Connection, build.Target, build.CancellationToken);
        build.Execute($"ALTER TABLE {staging.Sql} RENAME TO {SqlText.Identifier(build.Target.Name)}");
        return build.Count(build.Target);
    }

    /// <summary>
    /// The rows a rebuild is about to replace: the table's rows, or none when the model has no table yet. A full
    /// refresh counts them as deleted, so that a summary never shows "-0" for a table that lost its history.
    /// </summary>
    public static long RowsBefore(ModelBuild build) => build.TargetKind == RelationKind.Table ? build.Count(build.Target) : 0;

    /// <summary>Creates the model's table from <paramref name="selectSql"/> with no rows, when missing.</summary>
    public static bool CreateEmpty(ModelBuild build, string selectSql)
    {
        if (build.TargetKind != RelationKind.None)
        {
            return false;
        }

        build.Execute($"CREATE TABLE {build.Target.Sql} AS SELECT * FROM ({selectSql}) LIMIT 0");
        return true;
    }

    /// <summary>partition_by becomes the physical order on DuckDB, which keeps each partition's rows together for zone maps.</summary>
    public static string OrderBy(ModelDefinition model) =>
        model.Config.PartitionBy.Count == 0 ? "" : " ORDER BY " + string.Join(", ", model.Config.PartitionBy.Select(SqlText.Identifier));
}
