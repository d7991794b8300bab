using Alquimia.Ingestion.Landing.Storage;
using Alquimia.Orchestration;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Amazon.S3.Model;
using Alquimia.Warehouse;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Landing.Storage;

/// <summary>A database source whose landing root is an S3 bucket, on a real S3-compatible server (s3rver).</summary>
[Collection(PostgresTests.Name)]
public sealed class S3LandingTests : PostgresProjectTests
{
    private const string Prefix = "origin=airbyte/database=bronze_radar";
    private readonly S3Server _s3;
    private readonly string _bucket;

    public S3LandingTests(PostgresServer server, S3Server s3)
        : base(server, "name: radar\n")
    {
        _s3 = s3;
        _bucket = s3.CreateBucket();
    }

    [Fact]
    public async Task Sync_PublishesTheBatchInTheBucket_AndReplayRebuildsBronzeFromTheBucketAlone()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE store (id int8, nome text);
            INSERT INTO store VALUES (1, 'Drogaria Sul'), (2, 'Farmácia Norte'), (3, NULL);
            """);
        WriteSource(Database, _s3.Endpoint);

        var sync = await Sync();

        Assert.True(sync.Succeeded, string.Join("\n", sync.Steps.Select(step => step.Error)));
        var keys = _s3.Keys(_bucket);
        Assert.Equal(2, keys.Count);
        Assert.Matches($@"^{Prefix}/store/_batches/[^/]+\.json$", keys[0]);
        Assert.Matches($@"^{Prefix}/store/cog_dt_ingestion=\d{{4}}-\d{{2}}-\d{{2}}/[^/]+\.parquet$", keys[1]);
        var rows = Query("SELECT * EXCLUDE (_batch_id, _ingestion_timestamp) FROM bronze.store ORDER BY id");
        Assert.Equal(3, rows.Count);

        // A new machine: no local copy of the landing, the database out of reach. The replay reads the bucket alone.
        Directory.Delete(Path.Combine(Folder.Path, "lake", "landing"), recursive: true);
        WriteSource(new NpgsqlConnectionStringBuilder(Database) { Port = S3Server.FreePort(), Timeout = 5 }.ConnectionString, _s3.Endpoint);
        var replay = await Sync(replay: true);

        Assert.True(replay.Succeeded, string.Join("\n", replay.Steps.Select(step => step.Error)));
        Assert.Equal(rows, Query("SELECT * EXCLUDE (_batch_id, _ingestion_timestamp) FROM bronze.store ORDER BY id"));
    }

    [Fact]
    public async Task Sync_UploadsAPartAboveTheThresholdInParts()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE store (id int8, hash text);
            INSERT INTO store SELECT i, md5(i::text) || md5((i * 7)::text) FROM generate_series(1, 3000) AS i;
            """);
        // A proxy that never cuts: it tells which requests the upload made.
        using var proxy = new CuttingProxy(_s3.Endpoint, cutAfterBytes: long.MaxValue);
        WriteSource(Database, proxy.Endpoint);

        var sync = await WithSmallParts(Sync);

        Assert.True(sync.Succeeded, string.Join("\n", sync.Steps.Select(step => step.Error)));
        var part = Assert.Single(_s3.Keys(_bucket), key => key.EndsWith(".parquet", StringComparison.Ordinal));
        var local = new FileInfo(Assert.Single(Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "radar", "store"), "*.parquet", SearchOption.AllDirectories)));
        Assert.True(local.Length > 2 * 16_384, $"The part has {local.Length} bytes: too few for three upload parts.");
        var requests = proxy.RequestLines();
        var path = $"/{_bucket}/{Uri.EscapeDataString(part).Replace("%2F", "/", StringComparison.Ordinal)}";
        Assert.Single(requests, line => line.StartsWith($"POST {path}?uploads", StringComparison.Ordinal));
        Assert.Equal((local.Length + 16_383) / 16_384, requests.Count(line => line.StartsWith($"PUT {path}?partNumber=", StringComparison.Ordinal)));
        Assert.Single(requests, line => line.StartsWith($"POST {path}?uploadId=", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, line => line.StartsWith($"PUT {path} ", StringComparison.Ordinal));
        using var client = _s3.Client();
        var metadata = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = part });
        Assert.Equal(local.Length, metadata.ContentLength);
        Assert.Equal(["3000"], Query("SELECT count(DISTINCT hash) FROM bronze.store"));
    }

    [Fact]
    public async Task Sync_CutMidUpload_LeavesNoObjectAndNoBatchPublished()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE store (id int8, hash text);
            INSERT INTO store SELECT i, md5(i::text) || md5((i * 7)::text) FROM generate_series(1, 3000) AS i;
            """);
        // The network fails in the middle of the multipart upload's second part.
        using var proxy = new CuttingProxy(_s3.Endpoint, cutAfterBytes: 24_000);
        WriteSource(Database, proxy.Endpoint);

        var sync = await WithSmallParts(Sync);

        var step = Assert.Single(sync.Steps);
        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.True(proxy.HasCut);
        Assert.Contains("could not be published", step.Error, StringComparison.Ordinal);
        Assert.Empty(_s3.Keys(_bucket));
        var landing = Path.Combine(Folder.Path, "lake", "landing", "radar");
        Assert.Empty(Directory.Exists(landing) ? Directory.GetFiles(landing, "*", SearchOption.AllDirectories) : []);
        Assert.Equal(["0"], Query("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'bronze'"));

        // Once the network is back, the next sync lands the table whole.
        WriteSource(Database, _s3.Endpoint);
        var again = await WithSmallParts(Sync);

        Assert.True(again.Succeeded, string.Join("\n", again.Steps.Select(step => step.Error)));
        Assert.Equal(2, _s3.Keys(_bucket).Count);
        Assert.Equal(["3000"], Query("SELECT count(*) FROM bronze.store"));
    }

    [Fact]
    public async Task BronzeFalse_PublishesEachBatchInTheBucketOnly_AndTheFirstSyncWithBronzeLoadsThemAll()
    {
        PostgresServer.Execute(Database, "CREATE TABLE store (id int8, nome text); INSERT INTO store VALUES (1, 'Drogaria Sul'), (2, 'Farmácia Norte'), (3, NULL);");
        WriteSource(Database, _s3.Endpoint, "bronze: false\n");

        Assert.True((await Sync()).Succeeded);
        Assert.True((await Sync()).Succeeded);

        // Two batches in the bucket, none kept on this machine: the local copy is bronze's, and there is no bronze. The
        // table's folder stays, empty.
        Assert.Equal(2, _s3.Keys(_bucket).Count(key => key.Contains("/_batches/", StringComparison.Ordinal)));
        var landing = Path.Combine(Folder.Path, "lake", "landing", "radar");
        Assert.Equal([Path.Combine(landing, "store")], Directory.GetFileSystemEntries(landing, "*", SearchOption.AllDirectories));
        Assert.Equal(["0"], Query("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'bronze'"));

        WriteSource(Database, _s3.Endpoint);
        var loaded = await Sync();

        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Steps.Select(step => step.Error)));
        Assert.Equal(["3|3", "3|3", "3|3"], Query("SELECT count(*) || '|' || count(DISTINCT id) FROM bronze.store GROUP BY _source_file ORDER BY 1"));
    }

    [Fact]
    public async Task TablesAll_ATableSyncedBeforeThatIsGone_FailsItsStep_WhenOnlyTheBucketKnowsIt()
    {
        PostgresServer.Execute(Database, "CREATE TABLE store (id int8); CREATE TABLE store_metrics (id int8); INSERT INTO store VALUES (1); INSERT INTO store_metrics VALUES (2);");
        Folder.Write("sources/radar.yml", $"""
            name: radar
            type: postgres
            connection: "{Database}"
            bronze: false
            landing:
              root: s3://{_bucket}/{Prefix}
              s3:
                endpoint: {_s3.Endpoint}
                path_style: true
            tables: all
            include: [store*]
            """);
        Assert.True((await Sync()).Succeeded);

        // A new machine, whose lake has no landing (bronze: false keeps no copy of the batches anyway).
        Directory.Delete(Path.Combine(Folder.Path, "lake", "landing"), recursive: true);
        PostgresServer.Execute(Database, "DROP TABLE store");
        var after = await Sync();

        // The bucket alone remembers that store was synced, and its step fails by name.
        var gone = Assert.Single(after.Steps, step => step.Model == "bronze.store");
        Assert.Equal(RunStatus.Failed, gone.Status);
        Assert.Contains("store", gone.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, Assert.Single(after.Steps, step => step.Model == "bronze.store_metrics").Status);
    }

    /// <summary>Runs with uploads in parts of 16 KB from 16 KB on (S3 takes parts of 5 MB; s3rver any), for small tables.</summary>
    private static async Task<RunSummary> WithSmallParts(Func<bool, Task<RunSummary>> run)
    {
        var (threshold, size) = (S3LandingStore.MultipartThreshold, S3LandingStore.PartSize);
        S3LandingStore.MultipartThreshold = S3LandingStore.PartSize = 16_384;
        try
        {
            return await run(false);
        }
        finally
        {
            (S3LandingStore.MultipartThreshold, S3LandingStore.PartSize) = (threshold, size);
        }
    }

    private void WriteSource(string connection, Uri endpoint, string keys = "") =>
        Folder.Write("sources/radar.yml", $"""
            name: radar
            type: postgres
            connection: "{connection}"
            {keys}
            landing:
              root: s3://{_bucket}/{Prefix}
              partition: cog_dt_ingestion
              s3:
                endpoint: {endpoint}
                path_style: true
            tables:
              - name: store
            """);

    private Task<RunSummary> Sync(bool replay = false) =>
        Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:radar", Replay = replay });
}
