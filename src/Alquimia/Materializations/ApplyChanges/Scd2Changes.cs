using Alquimia.Projects;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>
/// SCD type 2, as Lakeflow stores it: every version of a key, from <c>__START_AT</c> (the sequence of the change that
/// opened it) to <c>__END_AT</c> (the sequence of the change that closed it, NULL while current). A change opens a new
/// version when a tracked column differs from the version before it or the key was deleted; otherwise it updates the
/// version in place. A delete closes the version. A change arriving out of order takes its place in the key's history:
/// the versions of every key the batch touches are computed again from the key's events (<see cref="ChangeEvents"/>).
/// </summary>
internal static class Scd2Changes
{
    private static readonly QualifiedName Versions = new("temp", "__alquimia_versions");
    private const string Last = "__alquimia_last";

    /// <summary>Applies the batch; returns the versions inserted, updated (closed, or changed in place) and deleted (superseded by a late change).</summary>
    public static (long Inserted, long Updated, long Deleted) Apply(ModelBuild build, ApplyChangesSettings settings, ChangeFeedColumns columns, ChangeState state)
    {
        var keys = settings.Keys;
        var feedSequence = SqlLists.Qualified("feed", settings.SequenceBy);
        // A change is known when the state holds its sequence (a version's latest change, a delete) or a version starts at it.
        ChangeBatch.SelectFresh(build, settings, columns,
            $"""
            EXISTS (SELECT 1 FROM {state.Table.Sql} AS state WHERE {SqlLists.KeysMatch(keys, "state", "feed")} AND state.{ChangeState.Sequence} = {feedSequence})
            OR EXISTS (SELECT 1 FROM {build.Target.Sql} AS target WHERE {SqlLists.KeysMatch(keys, "target", "feed")} AND target.{ChangeFeedColumns.StartAt} = {feedSequence})
            """);
        ChangeEvents.Write(build, settings, columns, ExistingEvents(build, settings, columns, state));
        build.Execute($"CREATE OR REPLACE TEMP TABLE {Versions.Name} AS {VersionsOf(settings, columns)}");

        var same = $"{SqlLists.KeysMatch(keys, "target", "version")} AND target.{ChangeFeedColumns.StartAt} = version.{ChangeFeedColumns.StartAt}";
        var identical = $"{same} AND target.{ChangeFeedColumns.EndAt} IS NOT DISTINCT FROM version.{ChangeFeedColumns.EndAt} AND NOT ({SqlLists.AnyDiffers(columns.Values, "target", "version")})";
        var replaced = build.Scalar<long>(
            $"SELECT count(*) FROM {Versions.Sql} AS version WHERE EXISTS (SELECT 1 FROM {build.Target.Sql} AS target WHERE {same}) AND NOT EXISTS (SELECT 1 FROM {build.Target.Sql} AS target WHERE {identical})");
        // Versions that stay as they were are not rewritten: re-applying a batch writes nothing.
        var removed = build.Execute(
            $"DELETE FROM {build.Target.Sql} AS target WHERE {ChangeEvents.IsTouched(settings, "target")} AND NOT EXISTS (SELECT 1 FROM {Versions.Sql} AS version WHERE {identical})");
        var targetColumns = columns.Target(settings);
        var written = build.Execute(
            $"""
            INSERT INTO {build.Target.Sql} ({SqlLists.Columns(targetColumns)})
            SELECT {SqlLists.Columns(targetColumns, "version")} FROM {Versions.Sql} AS version
            WHERE NOT EXISTS (SELECT 1 FROM {build.Target.Sql} AS target WHERE {identical})
            """);

        build.Execute($"DELETE FROM {state.Table.Sql} AS state WHERE {ChangeEvents.IsTouched(settings, "state")}");
        build.Execute(
            $"""
            INSERT INTO {state.Table.Sql} ({SqlLists.Names(keys)}, {ChangeState.Sequence}, {ChangeState.Kind})
            SELECT {SqlLists.Names(keys)}, {Last}, '{ChangeState.Version}' FROM {Versions.Sql}
            UNION ALL
            SELECT {SqlLists.Names(keys)}, {ChangeBatch.Seq}, '{ChangeState.Delete}' FROM {ChangeEvents.Table.Sql} WHERE {ChangeBatch.IsDelete}
            """);
        build.Execute($"DROP TABLE {Versions.Sql}");
        ChangeEvents.Drop(build);
        return (written - replaced, replaced, removed - replaced);
    }

    /// <summary>
    /// The touched keys' versions and deletes as events: each version as a change at its start and, when it was updated
    /// in place, at its latest change (whose values it holds); each delete the state remembers.
    /// </summary>
    private static string ExistingEvents(ModelBuild build, ApplyChangesSettings settings, ChangeFeedColumns columns, ChangeState state) =>
        $"""
        (SELECT {SqlLists.Columns(columns.Written, "target")}, target.{ChangeFeedColumns.StartAt} AS {ChangeBatch.Seq}, FALSE AS {ChangeBatch.IsDelete}
         FROM {build.Target.Sql} AS target WHERE {ChangeEvents.IsTouched(settings, "target")})
        UNION ALL BY NAME
        (SELECT {SqlLists.Columns(columns.Written, "target")}, state.{ChangeState.Sequence} AS {ChangeBatch.Seq}, FALSE AS {ChangeBatch.IsDelete}
         FROM {build.Target.Sql} AS target JOIN {state.Table.Sql} AS state
           ON state.{ChangeState.Kind} = '{ChangeState.Version}' AND {SqlLists.KeysMatch(settings.Keys, "state", "target")}
          AND state.{ChangeState.Sequence} > target.{ChangeFeedColumns.StartAt}
          AND (target.{ChangeFeedColumns.EndAt} IS NULL OR state.{ChangeState.Sequence} < target.{ChangeFeedColumns.EndAt})
         WHERE {ChangeEvents.IsTouched(settings, "target")})
        UNION ALL BY NAME
        (SELECT {SqlLists.Names(settings.Keys, "state")}, state.{ChangeState.Sequence} AS {ChangeBatch.Seq}, TRUE AS {ChangeBatch.IsDelete}
         FROM {state.Table.Sql} AS state WHERE state.{ChangeState.Kind} = '{ChangeState.Delete}' AND {ChangeEvents.IsTouched(settings, "state")})
        """;

    /// <summary>
    /// The versions of the events' keys: a version opens at an upsert after nothing, after a delete, or whose tracked
    /// columns differ from the change before it; it ends at the next change that opens a version or deletes the key, and
    /// holds the values of its latest change.
    /// </summary>
    private static string VersionsOf(ApplyChangesSettings settings, ChangeFeedColumns columns)
    {
        var keys = SqlLists.Names(settings.Keys);
        const string Opens = "__alquimia_opens";
        const string Version = "__alquimia_version";
        const string Next = "__alquimia_next";
        var trackedChanged = columns.Tracked.Count == 0
            ? "FALSE"
            : string.Join(" OR ", columns.Tracked.Select(column => $"lag({SqlLists.Qualified(null, column)}) OVER key_order IS DISTINCT FROM {SqlLists.Qualified(null, column)}"));
        return $"""
            WITH marked AS (
                SELECT *, NOT {ChangeBatch.IsDelete} AND (lag({ChangeBatch.Seq}) OVER key_order IS NULL OR lag({ChangeBatch.IsDelete}) OVER key_order OR {trackedChanged}) AS {Opens}
                FROM {ChangeEvents.Table.Sql}
                WINDOW key_order AS (PARTITION BY {keys} ORDER BY {ChangeBatch.Seq})
            ), numbered AS (
                SELECT *,
                    sum(CAST({Opens} AS INTEGER)) OVER (PARTITION BY {keys} ORDER BY {ChangeBatch.Seq} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS {Version},
                    CASE WHEN {Opens} THEN lead({ChangeBatch.Seq}) OVER (PARTITION BY {keys}, {Opens} OR {ChangeBatch.IsDelete} ORDER BY {ChangeBatch.Seq}) END AS {Next}
                FROM marked
            )
            SELECT {SqlLists.Columns(columns.Written)},
                min({ChangeBatch.Seq}) OVER version AS {ChangeFeedColumns.StartAt}, max({Next}) OVER version AS {ChangeFeedColumns.EndAt}, {ChangeBatch.Seq} AS {Last}
            FROM numbered
            WHERE NOT {ChangeBatch.IsDelete}
            WINDOW version AS (PARTITION BY {keys}, {Version})
            QUALIFY row_number() OVER (PARTITION BY {keys}, {Version} ORDER BY {ChangeBatch.Seq} DESC) = 1
            """;
    }
}
