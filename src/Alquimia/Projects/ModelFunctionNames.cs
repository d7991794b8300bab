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

    /// <summary>
    /// The run's logical date (a DATE): the day the run is for (<c>alquimia run --run-date</c>), by default today in the
    /// project's time zone. A daily window written with it (<c>data_referencia &gt;= run_date() - 6</c>) can be rebuilt
    /// for any past day, where <c>current_date</c> is the machine's clock in the machine's zone.
    /// </summary>
    public const string RunDate = "run_date";

    /// <summary>When the run started, as a TIMESTAMPTZ: the same instant for every model of the run.</summary>
    public const string RunStartedAt = "run_started_at";

    /// <summary>Every such function, as written in SQL.</summary>
    public static IReadOnlyList<string> All { get; } = [IsIncremental, WatermarkLowerBound, RunDate, RunStartedAt];
}
