namespace Alquimia.Examples.Radar;

/// <summary>
/// Seed 003's Radar project (examples/radar: alquimia.yml with its daily job and seed 003's landing layout, and the
/// radar MySQL source), embedded so the CLI can write it into any folder. Its database comes from
/// <see cref="RadarGenerator"/>.
/// </summary>
public static class RadarExample
{
    private static readonly EmbeddedProject Project = new("radar");

    /// <summary>The environment variable the source's connection is read from.</summary>
    public const string ConnectionVariable = "RADAR_MYSQL";

    /// <summary>The project's files, as paths relative to the project folder with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Files { get; } = Project.Files;

    /// <summary>Writes the project's files under <paramref name="directory"/>; a file that exists is kept unless <paramref name="overwrite"/>.</summary>
    public static IReadOnlyList<string> WriteProjectTo(string directory, bool overwrite = false) => Project.WriteTo(directory, overwrite);
}
