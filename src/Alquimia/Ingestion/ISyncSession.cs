namespace Alquimia.Ingestion;

/// <summary>
/// One run's hold on one source, shared by every table the run extracts from it (PostgreSQL: an exported snapshot, so
/// that an order and its items come from the same instant). Disposed when the run ends.
/// </summary>
internal interface ISyncSession : IDisposable
{
    /// <summary>
    /// Writes the table's rows past <see cref="ExtractionRequest.From"/> into <see cref="ExtractionRequest.Batch"/> as
    /// Parquet parts. It does not publish the batch, load bronze or store the cursor: the caller does, in the step's
    /// transaction. Called from several steps at once, one per table.
    /// </summary>
    Extraction Extract(ExtractionRequest request, CancellationToken cancellationToken);
}
