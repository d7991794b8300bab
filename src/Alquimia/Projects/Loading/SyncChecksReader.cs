namespace Alquimia.Projects.Loading;

/// <summary>Reads <c>checks:</c> of a source or of one of its tables (docs/projects.md, "Checks after each sync").</summary>
internal static class SyncChecksReader
{
    private static readonly string[] Keys = ["max_row_drop", "warn_after"];

    /// <summary>The checks under <c>checks:</c>; <see cref="SyncChecks.None"/> when absent (or wrong, which is recorded).</summary>
    public static SyncChecks Read(YamlSection yaml)
    {
        if (yaml.Mapping("checks", $"'checks' of {yaml.Description}") is not { } checks)
        {
            return SyncChecks.None;
        }

        checks.CheckKeys(Keys);
        return new SyncChecks { MaxRowDrop = checks.Ratio("max_row_drop"), WarnAfter = checks.Duration("warn_after") };
    }

    /// <summary>The file line of <c>max_row_drop</c> inside <c>checks:</c>, for problems about it.</summary>
    public static int LineOfMaxRowDrop(YamlSection yaml) =>
        yaml.Mapping("checks", $"'checks' of {yaml.Description}") is { } checks ? checks.LineOfKey("max_row_drop") : yaml.LineOfKey("checks");
}
