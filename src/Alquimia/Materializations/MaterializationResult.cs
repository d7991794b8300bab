using Alquimia.Quality;
using Alquimia.Warehouse;

namespace Alquimia.Materializations;

/// <summary>What one build changed in its relation, and the watermark to remember when the model keeps one.</summary>
public sealed record MaterializationResult(long RowsInserted, long RowsUpdated, long RowsDeleted, StoredWatermark? Watermark = null)
{
    /// <summary>What the model's expectations found in the new rows; null when it has none.</summary>
    public QualityOutcome? Quality { get; init; }

    /// <summary>A build that changed no rows (a view, for instance).</summary>
    public static MaterializationResult None { get; } = new(0, 0, 0);
}
