using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>
/// An apply_changes model's columns, checked against what its query returns: every column the settings name must be
/// one of the feed's, which only binding the query tells.
/// </summary>
/// <param name="Feed">The query's columns: the change feed's.</param>
/// <param name="Written">The target's columns from the feed: the feed's minus <c>except_columns</c>, keys first as the feed orders them.</param>
/// <param name="Values">The written columns that are not keys: the ones a change sets.</param>
/// <param name="Tracked">SCD type 2: the columns whose change opens a new version.</param>
/// <param name="Sequence">The <c>sequence_by</c> column, whose type <c>__START_AT</c> and <c>__END_AT</c> take.</param>
/// <param name="Watermark">The column the feed is read past.</param>
internal sealed record ChangeFeedColumns(
    IReadOnlyList<ColumnInfo> Feed,
    IReadOnlyList<ColumnInfo> Written,
    IReadOnlyList<string> Values,
    IReadOnlyList<string> Tracked,
    ColumnInfo Sequence,
    ColumnInfo Watermark)
{
    /// <summary>Lakeflow's SCD type 2 columns: the sequence at which a version became current, and at which it stopped being.</summary>
    public const string StartAt = "__START_AT";

    /// <inheritdoc cref="StartAt"/>
    public const string EndAt = "__END_AT";

    /// <summary>The columns SCD type 2 adds after the feed's.</summary>
    public static readonly IReadOnlyList<string> VersionColumns = [StartAt, EndAt];

    /// <summary>The columns of the model's table: the written ones, then the version columns for SCD type 2.</summary>
    public IReadOnlyList<ColumnInfo> Target(ApplyChangesSettings settings) =>
        settings.ScdType == 2 ? [.. Written, new ColumnInfo(StartAt, Sequence.Type), new ColumnInfo(EndAt, Sequence.Type)] : Written;

    /// <summary>The columns of <paramref name="build"/>'s feed, or the error that names the first setting its query does not satisfy.</summary>
    /// <exception cref="AlquimiaException">A column the settings name is not in the feed, or the feed has the version columns.</exception>
    public static ChangeFeedColumns Of(ModelBuild build, ApplyChangesSettings settings)
    {
        var feed = build.QueryColumns;
        var model = build.Model;
        ColumnInfo? Find(IEnumerable<ColumnInfo> columns, string name) =>
            columns.FirstOrDefault(column => string.Equals(column.Name, name, StringComparison.OrdinalIgnoreCase));
        void Require(IEnumerable<ColumnInfo> columns, string setting, IEnumerable<string> names, string fix)
        {
            if (names.FirstOrDefault(name => Find(columns, name) is null) is { } missing)
            {
                throw ApplyChangesErrors.Config(model, settings,
                    $"its {setting} names '{missing}', but its query returns no such column (its columns are: {string.Join(", ", feed.Select(column => column.Name))}). {fix}");
            }
        }

        Require(feed, "keys", settings.Keys, "Return it from the SELECT or fix 'keys'.");
        Require(feed, "sequence_by", [settings.SequenceBy], "Return it from the SELECT or fix 'sequence_by'.");
        Require(feed, "except_columns", settings.ExceptColumns, "Remove it from 'except_columns'.");
        Require(feed, "watermark", [model.Config.Watermark!],
            $"Return it from the SELECT, or set watermark: <column> to the feed's column that grows with each arrival (bronze's {model.Config.Watermark} is the default).");
        var written = feed.Where(column => !settings.ExceptColumns.Contains(column.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        var values = written.Select(column => column.Name).Where(name => !settings.Keys.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
        Require(written, "track_history_on", settings.TrackHistoryOn, "Track a column the target keeps: remove it from 'track_history_on' (or from 'except_columns').");
        Require(written, "track_history_except", settings.TrackHistoryExcept, "Remove it from 'track_history_except' (or from 'except_columns').");
        if (settings.ScdType == 2 && written.FirstOrDefault(IsVersionColumn) is { } clash)
        {
            throw ApplyChangesErrors.Config(model, settings,
                $"its query returns '{clash.Name}', a column SCD type 2 adds to the target itself. Add it to 'except_columns' or rename it in the SELECT.");
        }

        var tracked = settings.TrackHistoryOn.Count > 0
            ? settings.TrackHistoryOn.Select(name => Find(written, name)!.Name).ToList()
            : values.Where(name => !settings.TrackHistoryExcept.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
        return new ChangeFeedColumns(feed, written, values, tracked, Find(feed, settings.SequenceBy)!, Find(feed, model.Config.Watermark!)!);
    }

    private static bool IsVersionColumn(ColumnInfo column) =>
        string.Equals(column.Name, StartAt, StringComparison.OrdinalIgnoreCase) || string.Equals(column.Name, EndAt, StringComparison.OrdinalIgnoreCase);
}
