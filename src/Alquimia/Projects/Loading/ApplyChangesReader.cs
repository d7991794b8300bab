namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads an apply_changes model's keys (<c>keys</c>, <c>sequence_by</c>, …) into <see cref="ApplyChangesSettings"/>,
/// and checks what Lakeflow's AUTO CDC checks before it runs: keys and a sequence are given, history options only
/// with SCD type 2, truncates only with type 1, the keys are written to the target.
/// </summary>
internal static class ApplyChangesReader
{
    private static readonly string[] HistoryKeys = ["track_history_on", "track_history_except"];

    private static readonly IReadOnlyDictionary<string, int> ScdTypes = new Dictionary<string, int> { ["1"] = 1, ["2"] = 2 };

    /// <summary>The settings of an apply_changes model; problems are recorded and the settings returned as far as they were read.</summary>
    /// <param name="kindLine">The line of <c>materialized: apply_changes</c>, where a missing key is reported.</param>
    public static ApplyChangesSettings Read(YamlSection yaml, QualifiedName model, int kindLine)
    {
        var settings = new ApplyChangesSettings
        {
            Keys = yaml.StringOrList("keys"),
            SequenceBy = yaml.String("sequence_by") ?? "",
            ApplyAsDeletes = yaml.String("apply_as_deletes"),
            ApplyAsTruncates = yaml.String("apply_as_truncates"),
            IgnoreNullUpdates = yaml.Bool("ignore_null_updates") ?? false,
            ScdType = yaml.Choice("stored_as_scd_type", ScdTypes) ?? 1,
            TrackHistoryOn = yaml.StringOrList("track_history_on"),
            TrackHistoryExcept = yaml.StringOrList("track_history_except"),
            ExceptColumns = yaml.StringOrList("except_columns"),
            Line = kindLine,
        };

        if (settings.Keys.Count == 0)
        {
            yaml.Problem(kindLine, $"Model '{model}' is materialized as apply_changes and needs 'keys': the column(s) of the feed that identify a row, e.g. keys: [id_cliente].");
        }

        if (settings.SequenceBy.Length == 0)
        {
            yaml.Problem(kindLine, $"Model '{model}' is materialized as apply_changes and needs 'sequence_by': the column of the feed that orders the changes of a key, e.g. sequence_by: lsn.");
        }

        foreach (var key in HistoryKeys.Where(key => yaml.Has(key) && settings.ScdType == 1))
        {
            yaml.Problem(yaml.LineOfKey(key),
                $"'{key}' is for SCD type 2, and '{model}' is stored as SCD type 1 (the default): type 1 keeps no history to track. Set stored_as_scd_type: 2 or remove '{key}'.");
        }

        if (settings.TrackHistoryOn.Count > 0 && settings.TrackHistoryExcept.Count > 0)
        {
            yaml.Problem(yaml.LineOfKey("track_history_except"),
                $"'{model}' sets both 'track_history_on' and 'track_history_except': give the columns that open a new version, or the ones that do not, not both.");
        }

        if (settings.ApplyAsTruncates is not null && settings.ScdType == 2)
        {
            yaml.Problem(yaml.LineOfKey("apply_as_truncates"),
                $"'apply_as_truncates' applies to SCD type 1 only (as in Lakeflow), and '{model}' is stored as SCD type 2, whose history a truncate would erase. Remove it, or treat those rows as deletes of their keys.");
        }

        foreach (var key in settings.Keys.Where(key => settings.ExceptColumns.Contains(key, StringComparer.OrdinalIgnoreCase)))
        {
            yaml.Problem(yaml.LineOfKey("except_columns"), $"'except_columns' of '{model}' names its key '{key}': the keys identify the target's rows and must be written to it. Remove '{key}' from except_columns.");
        }

        return settings;
    }
}
