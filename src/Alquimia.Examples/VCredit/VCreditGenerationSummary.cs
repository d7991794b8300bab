namespace Alquimia.Examples.VCredit;

/// <summary>What one call of <see cref="VCreditGenerator"/> wrote.</summary>
/// <param name="Days">The ingestion dates written, oldest first.</param>
/// <param name="RowsPerTable">Rows written per source table, over all those days.</param>
/// <param name="FilesWritten">Parquet files written (one per table per day); zero when the tables went into PostgreSQL.</param>
public sealed record VCreditGenerationSummary(IReadOnlyList<DateOnly> Days, IReadOnlyDictionary<string, long> RowsPerTable, int FilesWritten)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Days.Count} day(s) {Days[0]:yyyy-MM-dd}..{Days[^1]:yyyy-MM-dd}, {(FilesWritten > 0 ? $"{FilesWritten} files" : "rows")}: " +
        string.Join(", ", RowsPerTable.Select(pair => $"{pair.Key} {pair.Value:N0}"));
}
