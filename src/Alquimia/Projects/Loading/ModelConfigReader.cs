using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads a model's front matter into a <see cref="ModelConfig"/> with the project's defaults applied, and checks the
/// materialization rules: what each materialization needs, and keys that belong to another materialization.
/// </summary>
internal sealed class ModelConfigReader
{
    private static readonly MaterializationKind[] Tables =
        [MaterializationKind.Table, MaterializationKind.Incremental, MaterializationKind.DeleteInsert, MaterializationKind.Snapshot];

    /// <summary>The materializations that read only the rows past a stored watermark.</summary>
    private static readonly MaterializationKind[] Watermarked = [MaterializationKind.Incremental, MaterializationKind.ApplyChanges];

    /// <summary>An apply_changes model's watermark when it names none: bronze's per-row arrival stamp (docs/running.md).</summary>
    private const string ArrivalColumn = "_ingestion_timestamp";

    /// <summary>The materializations whose new rows pass through expectations before they are written.</summary>
    private static readonly MaterializationKind[] Checked =
        [MaterializationKind.Table, MaterializationKind.Incremental, MaterializationKind.DeleteInsert];

    private static readonly MaterializationKind[] ApplyChangesOnly = [MaterializationKind.ApplyChanges];

    /// <summary>Every key, with the materializations it applies to (null: all of them).</summary>
    private static readonly Dictionary<string, MaterializationKind[]?> AppliesTo = new()
    {
        ["materialized"] = null,
        ["unique_key"] = [MaterializationKind.Incremental, MaterializationKind.Snapshot],
        ["watermark"] = Watermarked,
        ["lookback"] = Watermarked,
        ["window"] = [MaterializationKind.DeleteInsert],
        ["retention"] = [MaterializationKind.DeleteInsert, MaterializationKind.Table, MaterializationKind.Incremental],
        ["full_refresh"] = [MaterializationKind.Incremental, MaterializationKind.DeleteInsert, MaterializationKind.Snapshot, MaterializationKind.ApplyChanges],
        ["partition_by"] = Tables,
        ["strategy"] = [MaterializationKind.Snapshot],
        ["check_cols"] = [MaterializationKind.Snapshot],
        ["updated_at"] = [MaterializationKind.Snapshot],
        ["description"] = null,
        ["columns"] = null,
        ["tags"] = null,
        ["timeout"] = null,
        ["retries"] = null,
        ["expectations"] = Checked,
        ["tests"] = null,
        ["max_invalid_ratio"] = Checked,
        ["on_threshold"] = Checked,
        ["keys"] = ApplyChangesOnly,
        ["sequence_by"] = ApplyChangesOnly,
        ["apply_as_deletes"] = ApplyChangesOnly,
        ["apply_as_truncates"] = ApplyChangesOnly,
        ["ignore_null_updates"] = ApplyChangesOnly,
        ["stored_as_scd_type"] = ApplyChangesOnly,
        ["track_history_on"] = ApplyChangesOnly,
        ["track_history_except"] = ApplyChangesOnly,
        ["except_columns"] = ApplyChangesOnly,
    };

    private static readonly IReadOnlyDictionary<string, SnapshotStrategy> Strategies = new Dictionary<string, SnapshotStrategy>
    {
        ["check"] = SnapshotStrategy.Check,
        ["timestamp"] = SnapshotStrategy.Timestamp,
    };

    private readonly ProjectSettings _settings;
    private readonly IntervalChecker _intervals;
    private readonly DataTestsReader _tests;

    public ModelConfigReader(ProjectSettings settings, IntervalChecker intervals)
    {
        _settings = settings;
        _intervals = intervals;
        _tests = new DataTestsReader(intervals);
    }

    /// <summary>The configuration of <paramref name="model"/>; <paramref name="yaml"/> is null when the file has no front matter.</summary>
    /// <param name="modelLine">Where problems about the model as a whole point (the front matter's first line).</param>
    public ModelConfig Read(YamlSection? yaml, QualifiedName model, string filePath, int modelLine, LoadProblems problems)
    {
        yaml ??= new YamlSection(new YamlMappingNode(), filePath, modelLine, $"the front matter of '{model}'", problems);
        yaml.CheckKeys(AppliesTo.Keys);
        var materialized = yaml.Choice("materialized", MaterializationNames.ByName) ?? _settings.DefaultMaterialization;
        var config = new ModelConfig
        {
            Materialized = materialized,
            UniqueKey = yaml.StringOrList("unique_key"),
            Watermark = yaml.String("watermark"),
            Lookback = ReadInterval(yaml, "lookback", allowNumber: true),
            Window = yaml.String("window"),
            Retention = ReadRetention(yaml),
            FullRefresh = yaml.Bool("full_refresh"),
            PartitionBy = yaml.StringOrList("partition_by"),
            SnapshotStrategy = yaml.Choice("strategy", Strategies) ?? SnapshotStrategy.Check,
            CheckColumns = yaml.StringOrList("check_cols"),
            UpdatedAt = yaml.String("updated_at"),
            Description = yaml.String("description"),
            Columns = ColumnsReader.Read(yaml),
            Tags = yaml.StringOrList("tags"),
            Timeout = yaml.Duration("timeout"),
            Retries = yaml.Int("retries", minimum: 0),
            Expectations = ExpectationsReader.Read(yaml, model),
            Tests = _tests.Read(yaml, model),
            MaxInvalidRatio = yaml.Ratio("max_invalid_ratio"),
            OnThreshold = QualityThresholdReader.Action(yaml),
        };

        CheckRules(yaml, model, config, modelLine);
        if (config.Materialized == MaterializationKind.ApplyChanges)
        {
            config = config with
            {
                ApplyChanges = ApplyChangesReader.Read(yaml, model, yaml.Has("materialized") ? yaml.LineOfKey("materialized") : modelLine),
                Watermark = config.Watermark ?? ArrivalColumn,
            };
        }

        return config;
    }

    private static void CheckRules(YamlSection yaml, QualifiedName model, ModelConfig config, int modelLine)
    {
        var kind = config.Materialized.ConfigName();
        var origin = yaml.Has("materialized") ? "" : " (the project's default, defaults.materialized in alquimia.yml)";
        var kindLine = yaml.Has("materialized") ? yaml.LineOfKey("materialized") : modelLine;
        foreach (var key in yaml.Keys)
        {
            if (AppliesTo.TryGetValue(key, out var kinds) && kinds is not null && !kinds.Contains(config.Materialized))
            {
                var names = string.Join(", ", kinds.Select(MaterializationKindNames.ConfigName));
                yaml.Problem(yaml.LineOfKey(key),
                    $"'{key}' applies to {names} models only, and '{model}' is materialized as {kind}{origin}. Remove '{key}' or set materialized: {kinds[0].ConfigName()}.");
            }
        }

        void Require(string key, string what) =>
            yaml.Problem(kindLine, $"Model '{model}' is materialized as {kind}{origin} and needs '{key}': {what}");

        switch (config.Materialized)
        {
            case MaterializationKind.Incremental:
                if (config.UniqueKey.Count == 0)
                {
                    Require("unique_key", "the column(s) new rows are merged on, e.g. unique_key: id_chamado.");
                }

                if (config.Watermark is null && config.Lookback is null)
                {
                    Require("watermark", "the output column that says which rows are new, e.g. watermark: _ingestion_timestamp.");
                }

                break;
            case MaterializationKind.DeleteInsert when config.Window is null:
                Require("window", "the predicate of the rows replaced on each run, e.g. window: data_referencia >= run_date() - 6.");
                break;
            case MaterializationKind.Snapshot:
                if (config.UniqueKey.Count == 0)
                {
                    Require("unique_key", "the column(s) that identify a row across versions, e.g. unique_key: id_cliente.");
                }

                if (config.SnapshotStrategy == SnapshotStrategy.Timestamp && config.UpdatedAt is null)
                {
                    Require("updated_at", "the timestamp strategy compares it to detect a change, e.g. updated_at: atualizado_em.");
                }

                if (config.SnapshotStrategy == SnapshotStrategy.Timestamp && config.CheckColumns.Count > 0)
                {
                    yaml.Problem(yaml.LineOfKey("check_cols"), $"'check_cols' is for the check strategy, and '{model}' uses strategy: timestamp. Remove 'check_cols' or the strategy.");
                }

                break;
        }

        if (config.Lookback is not null && config.Watermark is null && config.Materialized == MaterializationKind.Incremental)
        {
            yaml.Problem(yaml.LineOfKey("lookback"), $"'lookback' needs a 'watermark' in '{model}': it is how far behind the watermark rows are re-read. Add watermark: <column>.");
        }

        if (config.Lookback is not null && string.Equals(config.Watermark, ReservedNames.LoadStamp, StringComparison.OrdinalIgnoreCase))
        {
            yaml.Problem(yaml.LineOfKey("lookback"),
                $"'lookback' has no use with watermark: {ReservedNames.LoadStamp} in '{model}': every row written upstream since this model's last build is read, "
                + "however old its own timestamps are. Remove 'lookback'.");
        }
    }

    private string? ReadInterval(YamlSection yaml, string key, bool allowNumber)
    {
        var text = yaml.String(key);
        if (text is null || _intervals.IsValid(text, allowNumber))
        {
            return text;
        }

        var example = allowNumber ? "an interval such as '3 days' or '12 hours', or a number for a numeric watermark" : "an interval such as '90 days'";
        yaml.Problem(yaml.LineOfKey(key), $"'{key}' in {yaml.Description} is '{text}', which DuckDB does not read as {example}.");
        return null;
    }

    private RetentionPolicy? ReadRetention(YamlSection yaml)
    {
        var retention = yaml.Mapping("retention", $"'retention' of {yaml.Description}");
        if (retention is null)
        {
            return null;
        }

        retention.CheckKeys(["column", "keep"]);
        var column = retention.String("column", "the date or timestamp column whose old rows are deleted, e.g. column: data_referencia.");
        var keep = retention.Has("keep") ? ReadInterval(retention, "keep", allowNumber: false) : null;
        if (!retention.Has("keep"))
        {
            retention.String("keep", "how long rows are kept, e.g. keep: 90 days.");
        }

        return column is null || keep is null ? null : new RetentionPolicy(column, keep);
    }
}
