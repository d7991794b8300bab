using System.Reflection;

namespace Alquimia.Examples.VCredit;

/// <summary>
/// The V-Credit example project (examples/vcredit: alquimia.yml, sources and models), embedded in the library so the
/// CLI can write it into any folder. Its landing data comes from <see cref="VCreditGenerator"/>.
/// </summary>
public static class VCreditExample
{
    private const string ResourcePrefix = "vcredit/";

    /// <summary>The project's files, as paths relative to the project folder with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Files { get; } = typeof(VCreditExample).Assembly.GetManifestResourceNames()
        .Select(name => name.Replace('\\', '/'))
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(name => name[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Writes the project's files under <paramref name="directory"/>, creating folders as needed. A file that already
    /// exists is left as it is unless <paramref name="overwrite"/> is true.
    /// </summary>
    /// <returns>The full paths of the files written, in the order of <see cref="Files"/>.</returns>
    public static IReadOnlyList<string> WriteProjectTo(string directory, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        var assembly = typeof(VCreditExample).Assembly;
        var resources = assembly.GetManifestResourceNames().ToDictionary(name => name.Replace('\\', '/'), StringComparer.Ordinal);
        var written = new List<string>();
        foreach (var file in Files)
        {
            var target = Path.Combine(root, file.Replace('/', Path.DirectorySeparatorChar));
            if (!overwrite && File.Exists(target))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = Open(assembly, resources[ResourcePrefix + file]);
            using var output = new FileStream(target, FileMode.Create, FileAccess.Write);
            source.CopyTo(output);
            written.Add(target);
        }

        return written;
    }

    /// <summary>The text of one of the project's <see cref="Files"/>, e.g. <c>models/gold/ft_atendimento_geral.sql</c>.</summary>
    public static string ReadFile(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var assembly = typeof(VCreditExample).Assembly;
        var name = assembly.GetManifestResourceNames()
            .FirstOrDefault(name => name.Replace('\\', '/') == ResourcePrefix + relativePath.Replace('\\', '/'))
            ?? throw new ArgumentException($"The V-Credit example has no file '{relativePath}'. Its files are listed in VCreditExample.Files.", nameof(relativePath));
        using var reader = new StreamReader(Open(assembly, name));
        return reader.ReadToEnd();
    }

    private static Stream Open(Assembly assembly, string resourceName) =>
        assembly.GetManifestResourceStream(resourceName)
        ?? throw new InvalidOperationException($"The embedded resource '{resourceName}' is missing from {assembly.GetName().Name}.");
}
