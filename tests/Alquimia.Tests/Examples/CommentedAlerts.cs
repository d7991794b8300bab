namespace Alquimia.Tests.Examples;

/// <summary>
/// The examples keep their seed's alerts commented out at the end of alquimia.yml (a channel's secret must be set before
/// a server starts with them): uncommented, they are what the seed asks for.
/// </summary>
internal static class CommentedAlerts
{
    /// <summary>Uncomments every line of the project's alquimia.yml from <c># alerts:</c> to its end.</summary>
    public static void Uncomment(string projectFolder)
    {
        var path = Path.Combine(projectFolder, "alquimia.yml");
        var lines = File.ReadAllLines(path);
        var start = Array.IndexOf(lines, "# alerts:");
        File.WriteAllLines(path, lines.Select((line, index) => index >= start ? line[2..] : line));
    }
}
