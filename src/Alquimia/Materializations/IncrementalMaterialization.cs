using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// <c>materialized: incremental</c>: only the rows whose watermark is at least the stored one minus the lookback
/// are read; they are deduplicated on unique_key (latest watermark wins) and merged into the table: rows that changed
/// are replaced and new ones inserted. The first build and <c>--full-refresh</c> rebuild the whole table.
/// </summary>
public sealed class IncrementalMaterialization : IMaterialization
{
    private const string Batch = "__alquimia_batch";
    private const string OlderVersionIds = "__alquimia_older_versions";
    private const string SharedRows = "__alquimia_shared_rows";

    public MaterializationKind Kind => MaterializationKind.Incremental;

    public MaterializationResult Build(ModelBuild build)
    {
        var config = build.Model.Config;
        var watermark = config.Watermark!;
        var queryColumns = build.QueryColumns;
        var watermarkColumn = queryColumns.FirstOrDefault(column => string.Equals(column.Name, watermark, StringComparison.OrdinalIgnoreCase))
            ?? throw new AlquimiaException(
                $"Model '{build.Target}' has watermark '{watermark}', but its query returns no such column. "
                + (LoadStamp.IsStamp(watermark)
                    ? $"Return the {LoadStamp.Column} of the incremental models it reads (the latest of them, with greatest(), when it reads several)."
                    : $"Return it from the SELECT (its columns are: {string.Join(", ", queryColumns.Select(column => column.Name))})."));

        if (build.Scope.RebuildsTable)
        {
            var replaced = TableSwap.RowsBefore(build);
            using var check = QualityGate.Check(build, $"SELECT * FROM {build.Subquery} AS model", QuarantineScope.Everything, LatestPerKey(build, queryColumns));
            var newestRead = check.CheckedRows is { } checkedRows ? Newest(build, checkedRows, watermarkColumn) : null;
            var rows = WriteWholeTable(build, check, queryColumns);
            check.Dispose();
            var expired = Retention.Apply(build);
            return new MaterializationResult(rows, 0, replaced + expired, newestRead ?? Newest(build, build.Target, watermarkColumn)) { Quality = check.Outcome };
        }

        var columns = SchemaEvolution.Align(build, LoadStamp.Written(queryColumns), out var addedColumns);
        var filter = Watermarks.Filter(build, watermarkColumn);
        // With expectations, the watermark comes from every row read, valid or not: a quarantined row is not read
        // again until a new version of it arrives.
        using var batchCheck = QualityGate.Check(build, $"SELECT * FROM {build.Subquery} AS model WHERE {filter}", QuarantineScope.BatchKeys, LatestPerKey(build, queryColumns));
        var newest = batchCheck.CheckedRows is { } batchCheckedRows ? Newest(build, batchCheckedRows, watermarkColumn) : null;
        if (LatestValidVersions(build, batchCheck, queryColumns) is { } latestBatchRows)
        {
            build.Execute($"CREATE OR REPLACE TEMP TABLE {Batch} AS {latestBatchRows}");
        }
        else
        {
            build.Execute($"CREATE OR REPLACE TEMP TABLE {Batch} AS {batchCheck.EveryValidVersionSql}");
            // A temporary table lives in memory and is dropped before the commit: deleting from it costs no rewrite.
            build.Execute($"DELETE FROM temp.{Batch} WHERE rowid IN ({OlderVersions(build, new QualifiedName("temp", Batch), queryColumns)})");
        }

        batchCheck.Dispose();

        var (inserted, updated) = Merge(build, columns);
        var expiredRows = Retention.Apply(build);
        newest ??= Newest(build, new QualifiedName("temp", Batch), watermarkColumn);
        build.Execute($"DROP TABLE temp.{Batch}");
        var stored = build.Scope.IsIncremental ? build.StoredWatermark : null;
        return new MaterializationResult(inserted, updated, expiredRows, Watermarks.Greatest(build, stored, newest))
        {
            Quality = batchCheck.Outcome,
            // Every row the batch wrote, released quarantine rows included, has this build's stamp; a column added to
            // the table is new in every row.
            WrittenRows = addedColumns ? null : LoadStamp.WrittenBy(build),
        };
    }

    public bool CreateEmpty(ModelBuild build) => TableSwap.CreateEmpty(build, LoadStamp.Stamped(build, $"SELECT * FROM {build.Subquery}"));

    /// <summary>
    /// Writes the checked rows of a whole build, one version per key, stamped with this build's <c>_loaded_at</c>; returns
    /// the rows written. The stamp replaces the query's own <c>_loaded_at</c>, which a <c>_loaded_at</c> watermark still
    /// needs to rank the versions by the stamps the query read: it is then kept beside the stamp until they are ranked.
    /// </summary>
    private static long WriteWholeTable(ModelBuild build, QualityCheck check, IReadOnlyList<ColumnInfo> queryColumns)
    {
        if (LatestValidVersions(build, check, queryColumns) is { } latestValidRows)
        {
            return TableSwap.Replace(build, LoadStamp.Stamped(build, latestValidRows));
        }

        // The query's own stamp ranks the versions only as their watermark (Build has made sure the query returns it
        // then): it is never a tie-breaker.
        if (!LoadStamp.IsStamp(build.Model.Config.Watermark!))
        {
            return TableSwap.Replace(build, LoadStamp.Stamped(build, check.EveryValidVersionSql), staging => KeepLatestVersions(build, staging, queryColumns));
        }

        return TableSwap.Replace(build, LoadStamp.StampedKeepingReadStamp(build, check.EveryValidVersionSql), staging =>
        {
            KeepLatestVersions(build, staging, queryColumns, LoadStamp.ReadStampColumn);
            build.Execute($"ALTER TABLE {staging.Sql} DROP COLUMN {SqlText.Identifier(LoadStamp.ReadStampColumn)}");
        });
    }

    /// <summary>
    /// The watermark to store after reading <paramref name="relation"/>: its newest value, or for a <c>_loaded_at</c>
    /// watermark the run's start (see <see cref="LoadStamp"/>).
    /// </summary>
    private static StoredWatermark? Newest(ModelBuild build, QualifiedName relation, ColumnInfo watermarkColumn) =>
        LoadStamp.IsStamp(watermarkColumn.Name) ? LoadStamp.Watermark(build) : Watermarks.Newest(build, relation, watermarkColumn);

    /// <summary>Keeps one row per unique_key: the latest by watermark (see <see cref="SqlLists.LatestPerKey"/>).</summary>
    private static Func<string, string> LatestPerKey(ModelBuild build, IReadOnlyList<ColumnInfo> columns) =>
        rows => $"SELECT * FROM ({rows}) AS model " + SqlLists.LatestPerKey(build.Model.Config.UniqueKey, build.Model.Config.Watermark, columns);

    /// <summary>
    /// The valid checked rows, one per unique_key, the one <see cref="LatestPerKey"/> would pick; null without
    /// expectations. The older versions are found among the checked rows, which were committed on a connection of their
    /// own, so DuckDB scans them on every core, and the rows are then written once. Found in the table the build had
    /// just written, they were scanned on one core, and the kept rows written twice (V-Credit at 10M chamados,
    /// silver.tb_chamado: 4.8 s to write, 4.6 s to find the older versions, 7.0 s to copy the kept rows;
    /// silver.tb_chamado_log, no older versions: 5.0 s to find none).
    /// </summary>
    private static string? LatestValidVersions(ModelBuild build, QualityCheck check, IReadOnlyList<ColumnInfo> columns)
    {
        if (check is not { CheckedRows: { } checkedRows, Publishable: { } publishable })
        {
            return null;
        }

        return $"""
            SELECT {publishable.Columns} FROM {checkedRows.Sql} AS model
            ANTI JOIN ({OlderVersions(build, checkedRows, columns, publishable.Condition)}) AS older ON model.rowid = older.row_id
            WHERE {publishable.Condition}
            """;
    }

    /// <summary>
    /// Makes a whole build's freshly written staging table hold one row per unique_key, the one <see cref="LatestPerKey"/>
    /// would pick (see <see cref="OlderVersions"/>). Ranking every row in the statement that builds the table made
    /// DuckDB hold the model's joins and a window over whole rows at once: V-Credit's 10M-row fact ran out of its 2 GB;
    /// even over stored checked rows it was slower (31M-row silver.tb_chamado_log, all keys unique: 24.2 s against
    /// 15.4 s). The kept rows are copied into a new table rather than the others deleted: DuckDB commits rows deleted
    /// from a table written in the same transaction by rewriting every row group that lost one, and then vacuums them
    /// at the checkpoint (a 10M-row silver.tb_chamado with 17% older versions: 6.2 s to commit and 2.8 s to checkpoint,
    /// against 3.9 s to copy).
    /// </summary>
    private static void KeepLatestVersions(ModelBuild build, QualifiedName staging, IReadOnlyList<ColumnInfo> columns, string? orderColumn = null)
    {
        build.Execute($"CREATE OR REPLACE TEMP TABLE {OlderVersionIds} AS {OlderVersions(build, staging, columns, orderColumn: orderColumn)}");
        if (build.Count(new QualifiedName("temp", OlderVersionIds)) > 0)
        {
            var latest = new QualifiedName(staging.Schema, staging.Name + "_latest");
            build.Execute($"DROP TABLE IF EXISTS {latest.Sql}");
            build.Execute(
                $"""
                CREATE TABLE {latest.Sql} AS
                SELECT model.* FROM {staging.Sql} AS model ANTI JOIN temp.{OlderVersionIds} AS older ON model.rowid = older.row_id{TableSwap.OrderBy(build.Model)}
                """);
            build.Execute($"DROP TABLE {staging.Sql}");
            build.Execute($"ALTER TABLE {latest.Sql} RENAME TO {SqlText.Identifier(staging.Name)}");
        }

        build.Execute($"DROP TABLE temp.{OlderVersionIds}");
    }

    /// <summary>
    /// The query of the <c>rowid</c>s (as <c>row_id</c>) of the rows of <paramref name="table"/> (those meeting
    /// <paramref name="condition"/>) that <see cref="LatestPerKey"/> would not keep. Only the keys written more than
    /// once are ranked, on the key, the watermark and a hash of the rest: a fact usually has one row per key, and then
    /// this costs a sort of its keys. V-Credit's fact at 10M chamados wrote its 887K-row batch, all keys distinct, in
    /// 1.31-1.35 s this way, against 1.6-2.0 s with every row ranked in the statement that wrote it.
    /// </summary>
    private static string OlderVersions(ModelBuild build, QualifiedName table, IReadOnlyList<ColumnInfo> columns, string condition = "TRUE", string? orderColumn = null)
    {
        var keys = build.Model.Config.UniqueKey;
        var keyColumns = string.Join(", ", keys.Select(SqlText.Identifier));
        // A repeated key is one equal to the key before it in key order: sorting the keys took half the time of grouping
        // them (31M distinct log ids: 1.5 s against 2.9-4.0 s), whose hash table outgrows the caches. The first row of
        // a lone NULL key may be taken for repeated; ranked alone, it stays.
        var key = keys.Count == 1 ? keyColumns : $"({keyColumns})";
        return $"""
            SELECT model.rowid AS row_id FROM {table.Sql} AS model
            SEMI JOIN (SELECT {keyColumns} FROM {table.Sql} WHERE {condition} QUALIFY lag({key}) OVER (ORDER BY {keyColumns}) IS NOT DISTINCT FROM {key}) AS repeated
                ON {SqlLists.KeysMatch(keys, "repeated", "model")}
            WHERE {condition}
            QUALIFY {SqlLists.VersionRank(keys, orderColumn ?? build.Model.Config.Watermark, columns)} > 1
            """;
    }

    /// <summary>
    /// Applies the batch as "delete the rows that changed, then insert every batch row whose key is not in the table":
    /// the changed rows and the new ones in one append. An in-place UPDATE (MERGE) would dirty every row group that holds
    /// a changed row, and DuckDB rewrites each such row group whole at the next checkpoint: at 10M rows a daily run
    /// changing 1% of them, spread over the whole table, rewrote the whole table. Deleted rows cost a deletion mark,
    /// appended ones only new row groups. Order of rows in the table is not kept, and nothing relies on it.
    /// </summary>
    private static (long Inserted, long Updated) Merge(ModelBuild build, IReadOnlyList<ColumnInfo> columns)
    {
        var keys = build.Model.Config.UniqueKey;
        // The rows of the table whose key is in the batch, found by reading the table's keys alone (a semi join, whose
        // hash table DuckDB builds from the smaller side, the batch), are then read by rowid: DuckDB skips the row groups
        // that hold none of them. Comparing the batch with the table directly read every column of every row (V-Credit
        // at 10M chamados: 0.4-0.5 s for the 31M events, whose batch shares only the keys of the last file it re-reads).
        build.Execute(
            $"""
            CREATE OR REPLACE TEMP TABLE {SharedRows} AS
            SELECT target.rowid AS row_id FROM {build.Target.Sql} AS target SEMI JOIN temp.{Batch} AS batch ON {SqlLists.KeysMatch(keys, "target", "batch")}
            """);
        var shared = $"target.rowid IN (SELECT row_id FROM temp.{SharedRows})";

        // A row is changed when a column other than the key and the stamp differs: an unchanged row keeps its stamp.
        var nonKeys = columns.Select(column => column.Name)
            .Where(name => !keys.Contains(name, StringComparer.OrdinalIgnoreCase) && !LoadStamp.IsStamp(name)).ToList();
        var updated = nonKeys.Count == 0
            ? 0
            : build.Execute(
                $"""
                DELETE FROM {build.Target.Sql} AS target
                USING temp.{Batch} AS batch
                WHERE {shared} AND {SqlLists.KeysMatch(keys, "target", "batch")} AND ({SqlLists.AnyDiffers(nonKeys, "target", "batch")})
                """);
        // What is left of the shared rows is unchanged; every other batch row is new or replaces a deleted one.
        var written = build.Execute(
            $"""
            INSERT INTO {build.Target.Sql} ({SqlLists.Columns(columns)})
            SELECT {string.Join(", ", columns.Select(column => LoadStamp.IsStamp(column.Name) ? LoadStamp.Value(build) : SqlLists.Qualified("batch", column.Name)))}
            FROM temp.{Batch} AS batch
            WHERE NOT EXISTS (
                SELECT 1
                FROM (SELECT {string.Join(", ", keys.Select(key => SqlLists.Qualified("target", key)))} FROM {build.Target.Sql} AS target WHERE {shared}) AS kept
                WHERE {SqlLists.KeysMatch(keys, "kept", "batch")})
            """);
        build.Execute($"DROP TABLE temp.{SharedRows}");
        return (written - updated, updated);
    }
}
