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

    /// <summary>The tables that have a folder in the bucket, by name: as the local landing's table folders, the tables synced before.</summary>
    /// <remarks>
    /// Each listing starts after the last table it saw, rather than asking for common prefixes with a delimiter: S3
    /// answers both alike, but s3rver (the tests' server) finds no common prefix above nested keys.
    /// </remarks>
    public List<string> Tables(CancellationToken cancellationToken)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        var root = _root.Key("");
        var request = new ListObjectsV2Request { BucketName = _root.Bucket, Prefix = root };
        try
        {
            while (Wait(_client.ListObjectsV2Async(request, cancellationToken)).S3Objects is { Count: > 0 } objects)
            {
                var table = "";
                foreach (var key in objects.Select(entry => entry.Key[root.Length..]).Where(key => key.Contains('/', StringComparison.Ordinal)))
                {
                    table = key[..key.IndexOf('/', StringComparison.Ordinal)];
                    if (!table.StartsWith('.') && !table.StartsWith('_'))
                    {
                        tables.Add(table);
                    }
                }

                // Past every key of the last table's folder: '0' comes right after '/', so "<table>0" sorts after
                // "<table>/…" and before the keys of any table after it.
                request.StartAfter = $"{root}{(table.Length > 0 ? table : objects[^1].Key[root.Length..])}0";
            }
        }
        catch (Exception error) when (error is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException
            || error is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"The tables landed in {_root}/ could not be listed ({error.Message.TrimEnd('.')}).", error);
        }

        return [.. tables];
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
