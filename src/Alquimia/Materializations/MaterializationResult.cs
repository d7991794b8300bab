using Alquimia.Quality;
using Alquimia.Warehouse;

namespace Alquimia.Materializations;

/// <summary>What one build changed in its relation, and the watermark to remember when the model keeps one.</summary>
public sealed record MaterializationResult(long RowsInserted, long RowsUpdated, long RowsDeleted, StoredWatermark? Watermark = null)
{
    /// <summary>What the model's expectations found in the new rows; null when it has none.</summary>
    public QualityOutcome? Quality { get; init; }

    /// <summary>The data tests run on the relation after the write; empty when the model has none.</summary>
    public IReadOnlyList<TestOutcome> Tests { get; init; } = [];

    /// <summary>Why the model run is marked "warning": a crossed threshold, failed warn-severity tests. Empty when none.</summary>
    public IReadOnlyList<string> Warnings =>
        [.. Quality?.Warning is { } warning ? [warning] : Array.Empty<string>(), .. Tests.Where(test => test.Failed).Select(test => test.Describe())];

    /// <summary>A build that changed no rows (a view, for instance).</summary>
    public static MaterializationResult None { get; } = new(0, 0, 0);
}
