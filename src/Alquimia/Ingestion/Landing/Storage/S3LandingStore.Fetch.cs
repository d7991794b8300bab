using Amazon.S3;
using Amazon.S3.Model;

namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>Downloading the published batches the local copy lacks.</summary>
internal sealed partial class S3LandingStore
{
    public int Fetch(string table, string tableFolder, CancellationToken cancellationToken)
    {
        var fetched = 0;
        try
        {
            foreach (var key in ManifestKeys(table, cancellationToken))
            {
                var manifest = Manifest(key, cancellationToken);
                if (manifest.Files.All(file => new FileInfo(Path.Combine(tableFolder, file.Path)) is { Exists: true } local && local.Length == file.Size))
                {
                    continue;
                }

                FetchBatch(table, tableFolder, manifest, key, cancellationToken);
                fetched++;
            }
        }
        catch (Exception error) when (error is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException
            || error is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException(
                $"The landing batches of table {table} could not be read from {_root}/{table}/ ({error.Message.TrimEnd('.')}). "
                + $"Bronze was not touched; {fetched} batch(es) were copied to {tableFolder} before the failure.",
                error);
        }

        return fetched;
    }

    /// <summary>The keys of the table's manifests, in name order (a batch's name starts with its run's).</summary>
    private List<string> ManifestKeys(string table, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _root.Bucket, Prefix = Key(table, BatchManifest.Folder + "/") };
        while (true)
        {
            var page = Wait(_client.ListObjectsV2Async(request, cancellationToken));
            keys.AddRange((page.S3Objects ?? []).Select(entry => entry.Key).Where(key => key.EndsWith(".json", StringComparison.Ordinal)));
            if (page.IsTruncated != true)
            {
                return [.. keys.Order(StringComparer.Ordinal)];
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private BatchManifest Manifest(string key, CancellationToken cancellationToken)
    {
        using var response = Wait(_client.GetObjectAsync(new GetObjectRequest { BucketName = _root.Bucket, Key = key }, cancellationToken));
        using var reader = new StreamReader(response.ResponseStream);
        return BatchManifest.Parse(reader.ReadToEnd(), $"s3://{_root.Bucket}/{key}");
    }

    /// <summary>
    /// Downloads a batch's files into a hidden staging folder, then publishes them to the local copy as a sync publishes
    /// its own: a batch fetched in part is never visible there.
    /// </summary>
    private void FetchBatch(string table, string tableFolder, BatchManifest manifest, string key, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(tableFolder, manifest.Partition, $".{manifest.Batch}{LandingBatch.PartialSuffix}");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var parts = manifest.Files.Count == 1
            ? [Path.Combine(staging, $"{manifest.Batch}.parquet")]
            : manifest.Files.Select(file => Path.Combine(staging, Path.GetFileName(file.Path))).ToList();
        var batch = new StagedBatch(table, tableFolder, staging, manifest.Batch, manifest.Partition, parts);
        if (!batch.Files.Select(file => file.Relative).SequenceEqual(manifest.Files.Select(file => file.Path), StringComparer.Ordinal))
        {
            throw new AlquimiaException(
                $"The landing manifest s3://{_root.Bucket}/{key} lists files that are not where Alquimia puts a batch's parts "
                + $"({string.Join(", ", manifest.Files.Select(file => file.Path))}). Remove it, or put back the one it replaced.");
        }

        foreach (var ((staged, relative), size) in batch.Files.Zip(manifest.Files.Select(file => file.Size)))
        {
            using (var response = Wait(_client.GetObjectAsync(new GetObjectRequest { BucketName = _root.Bucket, Key = Key(table, relative) }, cancellationToken)))
            using (var file = File.Create(staged))
            {
                response.ResponseStream.CopyTo(file);
            }

            if (new FileInfo(staged).Length != size)
            {
                throw new IOException($"s3://{_root.Bucket}/{Key(table, relative)} has {new FileInfo(staged).Length} bytes, and its batch's manifest says {size}.");
            }
        }

        _copy.Publish(batch, cancellationToken);
    }
}
