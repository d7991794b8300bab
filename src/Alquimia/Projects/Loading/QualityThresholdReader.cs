namespace Alquimia.Projects.Loading;

/// <summary>Reads <c>max_invalid_ratio</c> and <c>on_threshold</c> from alquimia.yml's <c>quality:</c> (a model's front matter sets either alone).</summary>
internal static class QualityThresholdReader
{
    public static readonly string[] Keys = ["max_invalid_ratio", "on_threshold"];

    private static readonly IReadOnlyDictionary<string, ThresholdAction> Actions = new Dictionary<string, ThresholdAction>
    {
        ["warn"] = ThresholdAction.Warn,
        ["fail"] = ThresholdAction.Fail,
    };

    /// <summary><c>on_threshold</c>, or null when absent (or wrong, which is recorded).</summary>
    public static ThresholdAction? Action(YamlSection yaml) => yaml.Choice("on_threshold", Actions);

    /// <summary>The project's threshold, or null when <c>max_invalid_ratio</c> is absent (or wrong, which is recorded).</summary>
    public static QualityThreshold? Read(YamlSection yaml)
    {
        var ratio = yaml.Ratio("max_invalid_ratio");
        var action = Action(yaml);
        if (ratio is null && action is not null && !yaml.Has("max_invalid_ratio"))
        {
            yaml.Problem(yaml.LineOfKey("on_threshold"), $"'on_threshold' in {yaml.Description} needs 'max_invalid_ratio', the share of invalid rows it applies past, e.g. max_invalid_ratio: 0.05.");
        }

        return ratio is { } max ? new QualityThreshold(max, action ?? ThresholdAction.Warn) : null;
    }
}
