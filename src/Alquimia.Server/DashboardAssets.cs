using System.Reflection;
using System.Security.Cryptography;

namespace Alquimia.Server;

/// <summary>
/// The dashboard's page, scripts, styles and vendored chart library: resources embedded in this assembly (logical names
/// <c>dashboard/…</c>, see Alquimia.Server.csproj), so that <c>dotnet run</c> and a published binary carry the same
/// files and nothing is read from disk or a CDN. Read once, kept in memory: together they are a few hundred KB.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".md"] = "text/markdown; charset=utf-8",
    };

    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>The assets embedded in Alquimia.Server, by path under <c>/dashboard/</c> (e.g. <c>vendor/chart.umd.min.js</c>).</summary>
    public static DashboardAssets Embedded { get; } = Load(typeof(DashboardAssets).Assembly);

    /// <summary>The asset at <paramref name="path"/> (relative to <c>/dashboard/</c>), or null.</summary>
    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static DashboardAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            assets[name[Prefix.Length..]] = new DashboardAsset(bytes, type, $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"");
        }

        return new DashboardAssets(assets);
    }
}

/// <summary>One file of the dashboard as served: its bytes, content type and ETag (a hash of the bytes).</summary>
internal sealed record DashboardAsset(byte[] Bytes, string ContentType, string ETag);
