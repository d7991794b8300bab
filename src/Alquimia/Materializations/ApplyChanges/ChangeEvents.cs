using Alquimia.Projects;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>
/// The changes of the keys a batch touches, old and new, in one table ordered by sequence: the batch's fresh changes,
/// and what the target and the state already hold of those keys as changes too. The new table of those keys is a
/// function of these events alone, computed whole for each key, so a change arriving out of order takes its place
/// among the others, and a change read again finds itself among them and changes nothing.
/// </summary>
internal static class ChangeEvents
{
    /// <summary>The events: the written columns, <see cref="ChangeBatch.Seq"/> and <see cref="ChangeBatch.IsDelete"/>.</summary>
    public static readonly QualifiedName Table = new("temp", "__alquimia_events");

    /// <summary>The keys <see cref="ChangeBatch.Fresh"/> has changes of.</summary>
    public static readonly QualifiedName Touched = new("temp", "__alquimia_touched");

    /// <summary>The condition true of a <paramref name="alias"/> row whose key the batch touches.</summary>
    public static string IsTouched(ApplyChangesSettings settings, string alias) =>
        $"EXISTS (SELECT 1 FROM {Touched.Sql} AS touched WHERE {SqlLists.KeysMatch(settings.Keys, "touched", alias)})";

    /// <summary>
    /// Writes <see cref="Table"/> from the fresh changes and <paramref name="existingEvents"/> (a SELECT of the same
    /// columns, by name, over the touched keys). With <c>ignore_null_updates</c>, an update's NULL column takes the
    /// value the key had before it: the latest non-NULL one since the key's last delete.
    /// </summary>
    public static void Write(ModelBuild build, ApplyChangesSettings settings, ChangeFeedColumns columns, string existingEvents)
    {
        var keys = string.Join(", ", settings.Keys.Select(key => SqlLists.Qualified(null, key)));
        build.Execute($"CREATE OR REPLACE TEMP TABLE {Touched.Name} AS SELECT DISTINCT {keys} FROM {ChangeBatch.Fresh.Sql}");
        var events = $"SELECT * FROM {ChangeBatch.Fresh.Sql} UNION ALL BY NAME {existingEvents}";
        if (settings.IgnoreNullUpdates && columns.Values.Count > 0)
        {
            // Each delete starts a segment of the key's events; a value is carried forward within a segment only.
            const string Segment = "__alquimia_segment";
            var filled = columns.Values.Select(column =>
                $"CASE WHEN {ChangeBatch.IsDelete} THEN NULL ELSE last_value({SqlLists.Qualified(null, column)} IGNORE NULLS) OVER segment END AS {SqlLists.Qualified(null, column)}");
            events = $"""
                SELECT {keys}, {string.Join(", ", filled)}, {ChangeBatch.Seq}, {ChangeBatch.IsDelete}
                FROM (
                    SELECT *, count(*) FILTER (WHERE {ChangeBatch.IsDelete}) OVER (PARTITION BY {keys} ORDER BY {ChangeBatch.Seq} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS {Segment}
                    FROM ({events}) AS events) AS events
                WINDOW segment AS (PARTITION BY {keys}, {Segment} ORDER BY {ChangeBatch.Seq} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                """;
        }

        build.Execute($"CREATE OR REPLACE TEMP TABLE {Table.Name} AS {events}");
    }

    public static void Drop(ModelBuild build) => build.Execute($"DROP TABLE IF EXISTS {Table.Sql}; DROP TABLE IF EXISTS {Touched.Sql}");
}
