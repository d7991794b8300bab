using Alquimia.Materializations;
using Alquimia.Projects;

namespace Alquimia.Deploy.Databricks;

public static partial class ModelStatements
{
    /// <summary>
    /// A snapshot (SCD type 2) in one MERGE, so a version is never closed without its successor being opened: each key's
    /// latest row is staged twice when it changed, once to close the current version (valid_to, is_current = false)
    /// and once, under a key that matches nothing, to insert the new one; a new key is inserted; an unchanged key is
    /// left alone. A retry after the MERGE finds nothing changed. The versions are dated as Alquimia dates them: by the
    /// row's updated_at (timestamp strategy) or by the run's start (check strategy).
    /// </summary>
    private static IReadOnlyList<string> Snapshot(ModelDefinition model, ProjectShape shape, string table, string select, string cluster, string comment)
    {
        var config = model.Config;
        var columns = shape.Columns(model.Name).Select(column => column.Name)
            .Where(column => !SnapshotMaterialization.VersionColumns.Contains(column, StringComparer.OrdinalIgnoreCase)).ToList();
        var keys = config.UniqueKey;
        var latest = LatestSnapshotRows(config, columns, select);
        var changed = SnapshotChange(config, columns);
        string ValidFrom(string alias) => config.SnapshotStrategy == SnapshotStrategy.Timestamp
            ? $"CAST({alias}.{SparkSqlPrinter.Identifier(config.UpdatedAt!)} AS TIMESTAMP_NTZ)"
            : "CAST(:run_started_at AS TIMESTAMP_NTZ)";
        var listed = string.Join(", ", columns.Select(SparkSqlPrinter.Identifier));
        return
        [
            UseCatalog,
            $"""
            CREATE TABLE IF NOT EXISTS {table}
            USING DELTA{cluster}{comment}
            AS
            SELECT {string.Join(", ", columns.Select(column => "model." + SparkSqlPrinter.Identifier(column)))}, CAST(NULL AS TIMESTAMP_NTZ) AS valid_from, CAST(NULL AS TIMESTAMP_NTZ) AS valid_to, true AS is_current
            FROM (
            {select}
            ) AS model
            WHERE false
            """,
            $"""
            MERGE INTO {table} AS target
            USING (
            WITH latest AS (
            {latest}
            )
            SELECT latest.*, false AS alquimia_new_version FROM latest
            UNION ALL
            SELECT latest.*, true AS alquimia_new_version FROM latest
            JOIN {table} AS target ON target.is_current AND {KeysMatch(keys, "target", "latest")}
            WHERE {changed.Replace("staged.", "latest.", StringComparison.Ordinal)}
            ) AS staged
            ON NOT staged.alquimia_new_version AND target.is_current AND {KeysMatch(keys, "target", "staged")}
            WHEN MATCHED AND {changed} THEN
              UPDATE SET valid_to = {ValidFrom("staged")}, is_current = false
            WHEN NOT MATCHED THEN
              INSERT ({listed}, valid_from, valid_to, is_current)
              VALUES ({string.Join(", ", columns.Select(column => "staged." + SparkSqlPrinter.Identifier(column)))}, {ValidFrom("staged")}, NULL, true)
            """,
        ];
    }

    /// <summary>The latest row of each key in the model's rows, by updated_at for the timestamp strategy.</summary>
    private static string LatestSnapshotRows(ModelConfig config, IReadOnlyList<string> columns, string select)
    {
        var order = new List<string>();
        if (config.UpdatedAt is { } updatedAt)
        {
            order.Add($"{SparkSqlPrinter.Identifier(updatedAt)} DESC NULLS LAST");
        }

        order.Add($"xxhash64({string.Join(", ", columns.Select(SparkSqlPrinter.Identifier))})");
        return $"""
            SELECT {string.Join(", ", columns.Select(SparkSqlPrinter.Identifier))} FROM (
            SELECT *, row_number() OVER (PARTITION BY {string.Join(", ", config.UniqueKey.Select(SparkSqlPrinter.Identifier))} ORDER BY {string.Join(", ", order)}) AS alquimia_version
            FROM (
            {select}
            ) AS model
            ) AS ranked
            WHERE alquimia_version = 1
            """;
    }

    /// <summary>
    /// When the staged row is a change of the current version: a newer updated_at, or a check column (every column but
    /// the key and an upstream's <c>_loaded_at</c>, when none are named) that differs.
    /// </summary>
    private static string SnapshotChange(ModelConfig config, IReadOnlyList<string> columns)
    {
        if (config.SnapshotStrategy == SnapshotStrategy.Timestamp)
        {
            var updatedAt = SparkSqlPrinter.Identifier(config.UpdatedAt!);
            return $"staged.{updatedAt} > target.{updatedAt}";
        }

        var compared = config.CheckColumns.Count > 0
            ? config.CheckColumns
            : columns.Where(column => !config.UniqueKey.Contains(column, StringComparer.OrdinalIgnoreCase) && !LoadStamp.IsStamp(column)).ToList();
        return "(" + string.Join(" OR ", compared.Select(column => $"NOT (target.{SparkSqlPrinter.Identifier(column)} <=> staged.{SparkSqlPrinter.Identifier(column)})")) + ")";
    }
}
