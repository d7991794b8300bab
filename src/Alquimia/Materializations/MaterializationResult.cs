using Alquimia.Quality;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>What one build changed in its relation, and the watermark to remember when the model keeps one.</summary>
public sealed record MaterializationResult(long RowsInserted, long RowsUpdated, long RowsDeleted, StoredWatermark? Watermark = null)
{
    /// <summary>What the model's expectations found in the new rows; null when it has none.</summary>
    public QualityOutcome? Quality { get; init; }

    /// <summary>
    /// A SQL condition on the relation's rows, true of every row this build wrote (and maybe of a few more): an
    /// incremental batch's stamp (<c>_loaded_at</c>), a delete_insert window. The data tests that judge rows one by
    /// one test only those; rows that passed in an earlier build are not read again (<c>alquimia test</c> reads them all).
    /// Null when the build wrote the whole relation.
    /// </summary>
    public string? WrittenRows { get; init; }

    /// <summary>The data tests run on the relation after the write; empty when the model has none.</summary>
    public IReadOnlyList<TestOutcome> Tests { get; init; } = [];

    /// <summary>What an ingestion step noticed about its source (a column landed as text, say); empty when nothing.</summary>
    public IReadOnlyList<string> SourceWarnings { get; init; } = [];

    /// <summary>Why the step run is marked "warning": a crossed threshold, failed warn-severity tests, source warnings. Empty when none.</summary>
    public IReadOnlyList<string> Warnings =>
        [.. Quality?.Warning is { } warning ? [warning] : Array.Empty<string>(), .. Tests.Where(test => test.Failed).Select(test => test.Describe()), .. SourceWarnings];

    /// <summary>A build that changed no rows (a view, for instance).</summary>
    public static MaterializationResult None { get; } = new(0, 0, 0);
}
