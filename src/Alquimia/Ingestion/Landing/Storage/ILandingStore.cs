namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>
/// Where a database source's landing batches are kept: the lake's disk (<see cref="LocalLandingStore"/>) or an S3
/// bucket (<see cref="S3LandingStore"/>). Either way bronze reads a local folder, the table's
/// <see cref="LandingFiles.DefaultFolder"/>: for a bucket it is the local copy of what the bucket holds.
/// </summary>
internal interface ILandingStore : IDisposable
{
    /// <summary>
    /// Makes a staged batch's parts visible at their places in the table's folder, all together or not at all: a
    /// reader never sees part of a batch. On failure, nothing of it is visible and the exception says so.
    /// </summary>
    void Publish(StagedBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the table's published batches that its local folder lacks into it, each whole (a crash leaves none in
    /// part); returns how many. Nothing to do for a local store.
    /// </summary>
    int Fetch(string table, string tableFolder, CancellationToken cancellationToken);
}
