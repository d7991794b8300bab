using System.Globalization;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>
/// The changes one build reads: the feed's rows past the watermark, each marked delete or truncate by the model's
/// conditions, checked for NULL keys and sequences; then the ones not applied yet (<see cref="SelectFresh"/>).
/// </summary>
internal static class ChangeBatch
{
    /// <summary>The feed's rows this build read, with <see cref="IsDelete"/> and <see cref="IsTruncate"/>.</summary>
    public static readonly QualifiedName Feed = new("temp", "__alquimia_feed");

    /// <summary>The changes of <see cref="Feed"/> not applied yet, one per key and sequence: the written columns, <see cref="Seq"/> and <see cref="IsDelete"/>.</summary>
    public static readonly QualifiedName Fresh = new("temp", "__alquimia_fresh");

    public const string IsDelete = "__alquimia_is_delete";
    public const string IsTruncate = "__alquimia_is_truncate";
    public const string Seq = "__alquimia_seq";

    /// <summary>Reads the batch into <see cref="Feed"/>.</summary>
    /// <exception cref="AlquimiaException">A change has a NULL key or a NULL sequence: nothing of the batch is applied.</exception>
    public static void Read(ModelBuild build, ApplyChangesSettings settings, ChangeFeedColumns columns)
    {
        build.Execute(
            $"""
            CREATE OR REPLACE TEMP TABLE {Feed.Name} AS
            SELECT model.*, coalesce(({settings.ApplyAsDeletes ?? "FALSE"}), FALSE) AS {IsDelete}, coalesce(({settings.ApplyAsTruncates ?? "FALSE"}), FALSE) AS {IsTruncate}
            FROM {build.Subquery} AS model
            WHERE {Watermarks.Filter(build, columns.Watermark)}
            """);

        // A truncate is of the whole table: its key may be NULL.
        var nullCounts = settings.Keys.Select(key => (Column: key, Condition: $"NOT {IsTruncate} AND {SqlLists.Qualified(null, key)} IS NULL"))
            .Append((Column: settings.SequenceBy, Condition: $"{SqlLists.Qualified(null, settings.SequenceBy)} IS NULL")).ToList();
        var counts = build.Scalar<string>(
            $"SELECT concat_ws(',', {string.Join(", ", nullCounts.Select(pair => $"count(*) FILTER (WHERE {pair.Condition})"))}) FROM {Feed.Sql}")!
            .Split(',').Select(count => long.Parse(count, CultureInfo.InvariantCulture)).ToList();
        var nulls = nullCounts.Zip(counts).Where(pair => pair.Second > 0).ToList();
        if (nulls.Count > 0)
        {
            var found = string.Join("; ", nulls.Select(pair => $"{pair.Second} change(s) with a NULL '{pair.First.Column}'"));
            throw ApplyChangesErrors.Feed(build.Model,
                $"its feed has {found}, which no key or order can be given to. Nothing of this batch was applied. "
                + "Filter them out in the model's SQL (WHERE … IS NOT NULL), or fix the feed.");
        }
    }

    /// <summary>
    /// Writes <see cref="Fresh"/>: the feed's changes other than truncates of which <paramref name="applied"/> (a
    /// condition on the feed's row, <c>feed</c>) is false: not applied, nor superseded, yet. Several changes
    /// of a key at one sequence are one change: the one that arrived last (Lakeflow wants one change per key and
    /// sequence; a feed read twice has such duplicates).
    /// </summary>
    public static void SelectFresh(ModelBuild build, ApplyChangesSettings settings, ChangeFeedColumns columns, string applied)
    {
        var keysAndSequence = settings.Keys.Append(settings.SequenceBy).ToList();
        build.Execute(
            $"""
            CREATE OR REPLACE TEMP TABLE {Fresh.Name} AS
            SELECT {SqlLists.Columns(columns.Written, "feed")}, feed.{Quote(settings.SequenceBy)} AS {Seq}, feed.{IsDelete}
            FROM {Feed.Sql} AS feed
            WHERE NOT feed.{IsTruncate} AND NOT ({applied})
            QUALIFY {SqlLists.VersionRank(keysAndSequence, null, columns.Feed)} = 1
            """);
    }

    public static void Drop(ModelBuild build) => build.Execute($"DROP TABLE IF EXISTS {Feed.Sql}; DROP TABLE IF EXISTS {Fresh.Sql}");

    private static string Quote(string column) => SqlLists.Qualified(null, column);
}
