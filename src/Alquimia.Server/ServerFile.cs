using System.Diagnostics;
using System.Text.Json;
using Alquimia.Projects;

namespace Alquimia.Server;

/// <summary>
/// <c>.alquimia/server.json</c> in the project's folder: where a running server listens, written once it listens and
/// removed when it stops, so that the CLI's commands of another process send their runs to it instead of failing on
/// the warehouse it holds. A file left by a killed server names a process that is gone, and is ignored.
/// </summary>
public sealed record ServerFile(string Url, int ProcessId)
{
    public static string PathOf(Project project) => Path.Combine(project.Directory, ".alquimia", "server.json");

    /// <summary>The server running for <paramref name="project"/>, or null when none is.</summary>
    public static ServerFile? Find(Project project)
    {
        var path = PathOf(project);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var file = JsonSerializer.Deserialize<ServerFile>(File.ReadAllText(path));
            return file is not null && IsAlive(file.ProcessId) ? file : null;
        }
        catch (Exception error) when (error is JsonException or IOException)
        {
            return null;
        }
    }

    internal void Write(Project project)
    {
        var path = PathOf(project);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this));
    }

    internal static void Delete(Project project) => File.Delete(PathOf(project));

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
