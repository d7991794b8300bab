using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.S3.Model;

namespace Alquimia.Tests.Ingestion.Landing.Storage;

/// <summary>
/// A real S3-compatible server for the tests: npm's s3rver (tests/s3-server, installed by scripts/test-servers.sh with
/// npm ci), on 127.0.0.1 on a free port, keeping its objects in a temp folder. Started at the first test that asks for
/// it, once per test run, and stopped at the end. Its access key and secret are s3rver's own, S3RVER; the tests hand
/// them to Alquimia through the environment, as a deployment would (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
/// </summary>
public sealed class S3Server : IDisposable
{
    private readonly Lazy<(Process Process, Uri Endpoint)> _server;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"alquimia-s3-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private int _buckets;

    public S3Server()
    {
        _server = new Lazy<(Process, Uri)>(Start);
    }

    /// <summary>The server's URL.</summary>
    public Uri Endpoint => _server.Value.Endpoint;

    /// <summary>A new, empty bucket's name.</summary>
    public string CreateBucket()
    {
        var name = $"lake-{Interlocked.Increment(ref _buckets)}";
        using var client = Client();
        client.PutBucketAsync(name).GetAwaiter().GetResult();
        return name;
    }

    /// <summary>A client of the server, for what the tests look at in the buckets.</summary>
    public AmazonS3Client Client() => Client(Endpoint);

    /// <summary>A client of a server at <paramref name="endpoint"/> (a proxy in front of this one).</summary>
    public static AmazonS3Client Client(Uri endpoint) => new(
        new Amazon.Runtime.BasicAWSCredentials("S3RVER", "S3RVER"),
        new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>Every key in the bucket, in order.</summary>
    public List<string> Keys(string bucket)
    {
        using var client = Client();
        var listed = client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }).GetAwaiter().GetResult();
        return [.. (listed.S3Objects ?? []).Select(entry => entry.Key).Order(StringComparer.Ordinal)];
    }

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Process.Kill(entireProcessTree: true);
            _server.Value.Process.WaitForExit();
            _server.Value.Process.Dispose();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private (Process, Uri) Start()
    {
        var script = RepoRoot.File("tests/s3-server/node_modules/s3rver/bin/s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException("s3rver is not installed: run scripts/test-servers.sh (npm ci in tests/s3-server).");
        }

        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
        Directory.CreateDirectory(_folder);
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("node", [script, "-d", _folder, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Ready once it accepts a connection; a server that exits instead fails the test that asked for it.
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with {process.ExitCode} before listening on 127.0.0.1:{port}.");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return (process, new Uri($"http://127.0.0.1:{port}"));
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
