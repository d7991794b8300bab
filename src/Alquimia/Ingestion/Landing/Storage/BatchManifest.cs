using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>
/// The object that publishes a batch in a bucket, <c>&lt;table&gt;/_batches/&lt;batch&gt;.json</c>, written once every part
/// is uploaded: readers take the batches that have one, and of them only the files it lists. The leading underscore
/// keeps Spark, Hive and Glue from reading it as data.
/// </summary>
/// <param name="Batch">The batch's name.</param>
/// <param name="Partition">Its partition folder, e.g. <c>cog_dt_ingestion=2024-01-15</c>.</param>
/// <param name="Files">Its files' paths in the table's folder, with their sizes in bytes, in part order.</param>
internal sealed record BatchManifest(string Batch, string Partition, IReadOnlyList<(string Path, long Size)> Files)
{
    /// <summary>The folder of the manifests in a table's folder.</summary>
    public const string Folder = "_batches";

    public static BatchManifest Of(StagedBatch batch) =>
        new(batch.Name, batch.Partition, [.. batch.Files.Select(file => (file.Relative, new FileInfo(file.Staged).Length))]);

    public string ToJson() => new JsonObject
    {
        ["batch"] = Batch,
        ["partition"] = Partition,
        ["files"] = new JsonArray([.. Files.Select(file => new JsonObject { ["path"] = file.Path, ["size"] = file.Size })]),
    }.ToJsonString();

    /// <summary>The manifest in <paramref name="json"/>; <paramref name="where"/> names it in the error when it is not one.</summary>
    public static BatchManifest Parse(string json, string where)
    {
        try
        {
            if (JsonNode.Parse(json) is JsonObject root && root["batch"]?.GetValue<string>() is { } batch && root["partition"]?.GetValue<string>() is { } partition
                && root["files"] is JsonArray files)
            {
                var list = files.Select(file => (file?["path"]?.GetValue<string>(), file?["size"]?.GetValue<long>())).ToList();
                if (list.All(file => file.Item1 is not null && file.Item2 is not null))
                {
                    return new BatchManifest(batch, partition, [.. list.Select(file => (file.Item1!, file.Item2!.Value))]);
                }
            }

            throw new FormatException("a key is missing");
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            throw new AlquimiaException($"The landing manifest {where} is not one Alquimia wrote ({error.Message}). Remove it, or put back the one it replaced.");
        }
    }
}
