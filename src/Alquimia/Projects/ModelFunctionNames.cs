namespace Alquimia.Projects;

/// <summary>
/// The functions a model's SQL may call that Alquimia defines itself, on the connection building the model, as
/// constants of that build (docs/projects.md, "Incremental builds in the SQL"). They exist only while the model builds,
/// so a view, whose SQL runs whenever anyone reads it, may not call them.
/// </summary>
public static class ModelFunctionNames
{
    /// <summary>TRUE when the build reads only the rows past the stored watermark; FALSE otherwise.</summary>
    public const string IsIncremental = "is_incremental";

    /// <summary>The value the build compares the watermark column against; NULL when is_incremental() is FALSE.</summary>
    public const string WatermarkLowerBound = "watermark_lower_bound";

    /// <summary>Every such function, as written in SQL.</summary>
    public static IReadOnlyList<string> All { get; } = [IsIncremental, WatermarkLowerBound];
}
