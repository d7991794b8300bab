using Alquimia.Projects;
using Amazon.S3;
using Amazon.S3.Model;
using S3Location = Alquimia.Projects.S3Location;

namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>
/// Batches in an S3 bucket (or an S3-compatible store), under <c>s3://bucket/prefix/&lt;table&gt;/</c>, laid out as on
/// disk. S3 has no rename and no transaction over several objects, so a batch is published by a manifest: every part
/// is uploaded to its final key (one above <see cref="MultipartThreshold"/> by a multipart upload, which is no object
/// until it completes), then <see cref="BatchManifest"/> is written last. Alquimia reads only the batches that have a
/// manifest, so a sync cut short publishes nothing, and the parts it uploaded before failing are deleted (when the
/// store can still be reached; left over, no manifest lists them). Bronze reads the local copy,
/// <c>&lt;lake&gt;/landing/&lt;source&gt;/</c>: a batch is uploaded first and then moved into it, and <see cref="Fetch"/>
/// downloads what the copy lacks (a new machine, a lost lake) before bronze looks for new files.
/// </summary>
internal sealed partial class S3LandingStore : ILandingStore
{
    private readonly IAmazonS3 _client;
    private readonly S3Location _root;
    private readonly LocalLandingStore _copy = new();
    private readonly bool _keepsLocalCopy;

    /// <param name="keepsLocalCopy">False for a source that lands without loading (<c>bronze: false</c>): a published batch's staged parts are deleted rather than moved into the local copy.</param>
    public S3LandingStore(IAmazonS3 client, S3Location root, bool keepsLocalCopy = true)
    {
        _client = client;
        _root = root;
        _keepsLocalCopy = keepsLocalCopy;
    }

    /// <summary>
    /// The size from which a file is uploaded in parts. The default is 16 MB; S3 refuses parts under 5 MB but the
    /// last. Settable for the tests, which upload small files in parts.
    /// </summary>
    internal static long MultipartThreshold { get; set; } = 16L * 1024 * 1024;

    /// <summary>The size of each part of a multipart upload. The default is 8 MB. Settable for the tests.</summary>
    internal static long PartSize { get; set; } = 8L * 1024 * 1024;

    /// <summary>A store for <paramref name="settings"/>' <c>s3://</c> root.</summary>
    public static S3LandingStore Create(LandingSettings settings, string source, bool keepsLocalCopy = true)
    {
        var root = S3Location.Parse(settings.Root ?? "", out var problem)
            ?? throw new ArgumentException($"The landing root of source '{source}' is not an s3:// location: {problem}.", nameof(settings));
        return new S3LandingStore(S3Clients.Create(settings.S3, source), root, keepsLocalCopy);
    }

    public void Publish(StagedBatch batch, CancellationToken cancellationToken)
    {
        var uploaded = new List<string>();
        try
        {
            foreach (var (staged, relative) in batch.Files)
            {
                var key = Key(batch.Table, relative);
                Upload(staged, key, cancellationToken);
                uploaded.Add(key);
            }

            var manifest = Key(batch.Table, $"{BatchManifest.Folder}/{batch.Name}.json");
            Wait(_client.PutObjectAsync(
                new PutObjectRequest { BucketName = _root.Bucket, Key = manifest, ContentBody = BatchManifest.Of(batch).ToJson(), UseChunkEncoding = false },
                cancellationToken));
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RemoveQuietly(uploaded);
            throw new IOException(
                $"Landing batch {batch.Name} of table {batch.Table} could not be published to {_root}/{batch.Table}/ ({error.Message.TrimEnd('.')}). "
                + "Nothing of it is published: its manifest was not written, and readers take only the batches that have one. The next attempt lands the table again.",
                error);
        }
        catch (OperationCanceledException)
        {
            RemoveQuietly(uploaded);
            throw;
        }

        if (_keepsLocalCopy)
        {
            _copy.Publish(batch, cancellationToken);
        }
        else
        {
            // The partition folder held only the staging: the table's folder stays, the lake's memory of a table synced.
            Directory.Delete(batch.Staging, recursive: true);
            if (Path.GetDirectoryName(batch.Staging) is { } partition && !Directory.EnumerateFileSystemEntries(partition).Any())
            {
                Directory.Delete(partition);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The key of a path in a table's folder.</summary>
    private string Key(string table, string relative) => _root.Key($"{table}/{relative}");

    /// <summary>Uploads a file to <paramref name="key"/>: in one request, or in parts from <see cref="MultipartThreshold"/>.</summary>
    private void Upload(string path, string key, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length < MultipartThreshold)
        {
            Wait(_client.PutObjectAsync(new PutObjectRequest { BucketName = _root.Bucket, Key = key, FilePath = path, UseChunkEncoding = false }, cancellationToken));
            return;
        }

        var upload = Wait(_client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _root.Bucket, Key = key }, cancellationToken)).UploadId;
        try
        {
            var parts = new List<PartETag>();
            for (var (offset, number) = (0L, 1); offset < length; offset += PartSize, number++)
            {
                var part = Wait(_client.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = _root.Bucket, Key = key, UploadId = upload, PartNumber = number, FilePath = path, FilePosition = offset,
                        PartSize = Math.Min(PartSize, length - offset), UseChunkEncoding = false,
                    },
                    cancellationToken));
                parts.Add(new PartETag(number, part.ETag));
            }

            Wait(_client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _root.Bucket, Key = key, UploadId = upload, PartETags = parts }, cancellationToken));
        }
        catch
        {
            // Until it completes, the upload is no object; aborting it frees the parts the store keeps meanwhile.
            Quietly(() => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _root.Bucket, Key = key, UploadId = upload }));
            throw;
        }
    }

    /// <summary>Deletes the parts a failed publication uploaded, as far as the store can still be reached.</summary>
    private void RemoveQuietly(List<string> keys)
    {
        foreach (var key in keys)
        {
            Quietly(() => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _root.Bucket, Key = key }));
        }
    }

    /// <summary>
    /// Runs a clean-up call after a failure, which must not hide the failure: when the store cannot be reached, what it
    /// would remove is left, listed by no manifest.
    /// </summary>
    private static void Quietly(Func<Task> call)
    {
        try
        {
            call().GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException
            or OperationCanceledException)
        {
            // Left for the bucket's lifecycle rules (AbortIncompleteMultipartUpload) or a person; nothing reads it.
        }
    }

    /// <summary>The SDK's calls are asynchronous and a sync step is not: one blocking wait per request.</summary>
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
