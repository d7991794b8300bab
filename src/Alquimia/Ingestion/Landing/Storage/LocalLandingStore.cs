namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>
/// Batches on the local disk: publishing is one rename (the part's file, or the staging folder of several parts),
/// which readers see whole or not at all, since a rename within a file system is atomic.
/// </summary>
internal sealed class LocalLandingStore : ILandingStore
{
    public void Publish(StagedBatch batch, CancellationToken cancellationToken)
    {
        var partition = Path.Combine(batch.TableFolder, batch.Partition);
        Directory.CreateDirectory(partition);
        if (batch.Parts.Count == 1)
        {
            File.Move(batch.Parts[0], Path.Combine(batch.TableFolder, batch.Files[0].Relative), overwrite: true);
            Directory.Delete(batch.Staging, recursive: true);
            return;
        }

        var target = Path.Combine(partition, batch.Name);
        if (Directory.Exists(target))
        {
            // Only a batch fetched again whose local copy lost files (LandingStores' caches): the bucket's is whole.
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(batch.Staging, target);
    }

    public int Fetch(string table, string tableFolder, CancellationToken cancellationToken) => 0;

    public void Dispose()
    {
    }
}
