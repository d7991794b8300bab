using System.Reflection;

namespace Alquimia.Examples;

/// <summary>
/// An example project of the seeds (examples/&lt;name&gt;: alquimia.yml, sources, models), embedded in this assembly
/// under the logical names <c>&lt;name&gt;/&lt;path&gt;</c>, so the CLI can write it into any folder.
/// </summary>
internal sealed class EmbeddedProject(string name)
{
    private readonly string _prefix = name + "/";
    private readonly Assembly _assembly = typeof(EmbeddedProject).Assembly;

    /// <summary>The project's files, as paths relative to the project folder with '/' separators, sorted.</summary>
    public IReadOnlyList<string> Files => [.. Resources().Keys.Order(StringComparer.Ordinal)];

    /// <summary>Writes the files under <paramref name="directory"/>; one that exists is kept unless <paramref name="overwrite"/>.</summary>
    /// <returns>The full paths of the files written, in the order of <see cref="Files"/>.</returns>
    public IReadOnlyList<string> WriteTo(string directory, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        var resources = Resources();
        var written = new List<string>();
        foreach (var file in Files)
        {
            var target = Path.Combine(root, file.Replace('/', Path.DirectorySeparatorChar));
            if (!overwrite && File.Exists(target))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = Open(resources[file]);
            using var output = new FileStream(target, FileMode.Create, FileAccess.Write);
            source.CopyTo(output);
            written.Add(target);
        }

        return written;
    }

    /// <summary>The text of one of the <see cref="Files"/>.</summary>
    public string Read(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (!Resources().TryGetValue(relativePath.Replace('\\', '/'), out var resource))
        {
            throw new ArgumentException($"The {name} example has no file '{relativePath}'. Its files: {string.Join(", ", Files)}.", nameof(relativePath));
        }

        using var reader = new StreamReader(Open(resource));
        return reader.ReadToEnd();
    }

    /// <summary>Each file's resource name, by its path in the project.</summary>
    private Dictionary<string, string> Resources() => _assembly.GetManifestResourceNames()
        .Where(resource => resource.Replace('\\', '/').StartsWith(_prefix, StringComparison.Ordinal))
        .ToDictionary(resource => resource.Replace('\\', '/')[_prefix.Length..], resource => resource, StringComparer.Ordinal);

    private Stream Open(string resourceName) =>
        _assembly.GetManifestResourceStream(resourceName)
        ?? throw new InvalidOperationException($"The embedded resource '{resourceName}' is missing from {_assembly.GetName().Name}.");
}
