using Alquimia.Projects;

namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>The store of a source's landing batches, as its <c>landing.root</c> says.</summary>
internal static class LandingStores
{
    /// <summary>
    /// An S3 store for an <c>s3://</c> root, the local disk otherwise. The local copy of a bucket is bronze's to read:
    /// a source that lands without loading (<c>bronze: false</c>) keeps none.
    /// </summary>
    public static ILandingStore For(SourceDefinition source) =>
        source.Landing.IsS3 ? S3LandingStore.Create(source.Landing, source.Name, keepsLocalCopy: source.LoadsBronze) : new LocalLandingStore();

    /// <summary>The source's tables that have a folder in its bucket; none for a local root.</summary>
    public static List<string> TablesInBucket(SourceDefinition source, CancellationToken cancellationToken)
    {
        if (!source.Landing.IsS3)
        {
            return [];
        }

        using var store = S3LandingStore.Create(source.Landing, source.Name);
        try
        {
            return store.Tables(cancellationToken);
        }
        catch (IOException error)
        {
            throw new AlquimiaException($"Source '{source.Name}': {error.Message} They are the tables synced before, which tables: all still expects; check the bucket's address and credentials.", error);
        }
    }

    /// <summary>
    /// Brings the table's batches published in its bucket that the local copy lacks into it, before bronze looks for
    /// new files there; nothing for a local root, nor for a source without bronze.
    /// </summary>
    public static void Fetch(Project project, SourceDefinition source, SourceTable table, CancellationToken cancellationToken)
    {
        if (!source.Landing.IsS3 || !source.LoadsBronze)
        {
            return;
        }

        using var store = For(source);
        store.Fetch(table.Name, LandingFiles.DefaultFolder(project, source, table), cancellationToken);
    }
}
