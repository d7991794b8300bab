using Alquimia.Projects;

namespace Alquimia.Quality;

/// <summary>How one rule fared on one build: the rows that failed it, and a few of their keys to look them up.</summary>
public sealed record RuleOutcome(string Rule, ExpectationAction Action, long RowsFailed, IReadOnlyList<string> SampleKeys);

/// <summary>
/// What the expectations did to one build's new rows. Every checked row is valid, quarantined or dropped; warned
/// rows are valid rows that failed a warn rule.
/// </summary>
public sealed record QualityOutcome(long RowsChecked, long RowsQuarantined, long RowsDropped, long RowsWarned, IReadOnlyList<RuleOutcome> Rules)
{
    public long RowsValid => RowsChecked - RowsQuarantined - RowsDropped;

    /// <summary>Quarantined plus dropped rows as a share of the rows checked; zero when nothing was checked.</summary>
    public double InvalidRatio => RowsChecked == 0 ? 0 : (double)(RowsQuarantined + RowsDropped) / RowsChecked;

    /// <summary>Rows quarantined by earlier runs that passed this time and left the quarantine (not counted in <see cref="RowsChecked"/>).</summary>
    public long RowsReleased { get; init; }

    /// <summary>Why the build's run is marked "warning" (a crossed threshold), or null.</summary>
    public string? Warning { get; init; }
}
