using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>
/// SCD type 1: the table holds the latest change of each key by sequence. A change at or below the sequence the state
/// holds for its key (an upsert or a delete) or below the latest truncate was applied or superseded already: it is
/// ignored, which makes reading a change twice harmless and an out-of-order one lose to the newer change.
/// </summary>
internal static class Scd1Changes
{
    private static readonly QualifiedName Latest = new("temp", "__alquimia_latest");

    /// <summary>Applies the batch's truncates; returns the rows they removed.</summary>
    /// <remarks>
    /// The latest truncate of the batch empties the table of every key whose latest change is at or below it; a key
    /// changed later (an out-of-order truncate) stays. Its sequence is kept, so that a change up to it arriving later is
    /// not applied either.
    /// </remarks>
    public static long Truncate(ModelBuild build, ApplyChangesSettings settings, ChangeState state)
    {
        var sequence = SqlLists.Qualified("feed", settings.SequenceBy);
        var truncatedAt = $"(SELECT max({sequence}) FROM {ChangeBatch.Feed.Sql} AS feed WHERE feed.{ChangeBatch.IsTruncate} "
            + $"AND NOT EXISTS (SELECT 1 FROM {state.Table.Sql} AS state WHERE state.{ChangeState.Kind} = '{ChangeState.Truncate}' AND state.{ChangeState.Sequence} >= {sequence}))";
        build.Execute($"CREATE OR REPLACE TEMP TABLE __alquimia_truncate AS SELECT {truncatedAt} AS truncated_at");
        const string Floor = "(SELECT truncated_at FROM temp.__alquimia_truncate)";
        if (build.Scalar<bool>($"SELECT {Floor} IS NULL"))
        {
            build.Execute("DROP TABLE temp.__alquimia_truncate");
            return 0;
        }

        var removed = build.Execute(
            $"""
            DELETE FROM {build.Target.Sql} AS target USING {state.Table.Sql} AS state
            WHERE state.{ChangeState.Kind} = '{ChangeState.Upsert}' AND {SqlLists.KeysMatch(settings.Keys, "target", "state")} AND state.{ChangeState.Sequence} <= {Floor}
            """);
        build.Execute($"DELETE FROM {state.Table.Sql} WHERE {ChangeState.Sequence} <= {Floor}");
        build.Execute($"INSERT INTO {state.Table.Sql} ({ChangeState.Sequence}, {ChangeState.Kind}) SELECT truncated_at, '{ChangeState.Truncate}' FROM temp.__alquimia_truncate");
        build.Execute("DROP TABLE temp.__alquimia_truncate");
        return removed;
    }

    /// <summary>Applies the batch's other changes; returns the keys inserted, updated and deleted.</summary>
    public static (long Inserted, long Updated, long Deleted) Apply(ModelBuild build, ApplyChangesSettings settings, ChangeFeedColumns columns, ChangeState state)
    {
        var keys = settings.Keys;
        var kind = $"state.{ChangeState.Kind}";
        // Two conditions, not one EXISTS with an OR: the key's own state is found by a hash join on the key, where the
        // OR made DuckDB compare every change with every key's state (48,000 changes over 100,000 keys: 19 s).
        var sequence = SqlLists.Qualified("feed", settings.SequenceBy);
        ChangeBatch.SelectFresh(build, settings, columns,
            $"EXISTS (SELECT 1 FROM {state.Table.Sql} AS state WHERE {SqlLists.KeysMatch(keys, "state", "feed")} AND state.{ChangeState.Sequence} >= {sequence}) "
            + $"OR coalesce({sequence} <= (SELECT max(state.{ChangeState.Sequence}) FROM {state.Table.Sql} AS state WHERE {kind} = '{ChangeState.Truncate}'), FALSE)");
        // The key's row as the change it was written from: an update with ignore_null_updates keeps its values.
        ChangeEvents.Write(build, settings, columns,
            $"""
            SELECT {SqlLists.Columns(columns.Written, "target")}, state.{ChangeState.Sequence} AS {ChangeBatch.Seq}, FALSE AS {ChangeBatch.IsDelete}
            FROM {build.Target.Sql} AS target JOIN {state.Table.Sql} AS state ON {kind} = '{ChangeState.Upsert}' AND {SqlLists.KeysMatch(keys, "state", "target")}
            WHERE {ChangeEvents.IsTouched(settings, "target")}
            """);
        var partition = string.Join(", ", keys.Select(key => SqlLists.Qualified(null, key)));
        build.Execute($"CREATE OR REPLACE TEMP TABLE {Latest.Name} AS SELECT * FROM {ChangeEvents.Table.Sql} QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {ChangeBatch.Seq} DESC) = 1");

        var deleted = build.Scalar<long>(
            $"SELECT count(*) FROM {Latest.Sql} AS latest WHERE latest.{ChangeBatch.IsDelete} AND EXISTS (SELECT 1 FROM {build.Target.Sql} AS target WHERE {SqlLists.KeysMatch(keys, "target", "latest")})");
        // Rows that stay as they were are not rewritten: re-applying a batch writes nothing.
        var removed = build.Execute(
            $"""
            DELETE FROM {build.Target.Sql} AS target USING {Latest.Sql} AS latest
            WHERE {SqlLists.KeysMatch(keys, "target", "latest")} AND (latest.{ChangeBatch.IsDelete} OR {SqlLists.AnyDiffers(columns.Values, "target", "latest")})
            """);
        var written = build.Execute(
            $"""
            INSERT INTO {build.Target.Sql} ({SqlLists.Columns(columns.Written)})
            SELECT {SqlLists.Columns(columns.Written, "latest")} FROM {Latest.Sql} AS latest
            WHERE NOT latest.{ChangeBatch.IsDelete} AND NOT EXISTS (SELECT 1 FROM {build.Target.Sql} AS target WHERE {SqlLists.KeysMatch(keys, "target", "latest")})
            """);

        build.Execute($"DELETE FROM {state.Table.Sql} AS state WHERE {kind} <> '{ChangeState.Truncate}' AND {ChangeEvents.IsTouched(settings, "state")}");
        build.Execute(
            $"""
            INSERT INTO {state.Table.Sql} ({SqlLists.Names(keys)}, {ChangeState.Sequence}, {ChangeState.Kind})
            SELECT {SqlLists.Names(keys, "latest")}, latest.{ChangeBatch.Seq},
                   CASE WHEN latest.{ChangeBatch.IsDelete} THEN '{ChangeState.Delete}' ELSE '{ChangeState.Upsert}' END
            FROM {Latest.Sql} AS latest
            """);
        build.Execute($"DROP TABLE {Latest.Sql}");
        ChangeEvents.Drop(build);
        var updated = removed - deleted;
        return (written - updated, updated, deleted);
    }
}
