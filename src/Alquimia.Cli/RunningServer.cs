using Alquimia.Projects;
using Alquimia.Server;

namespace Alquimia.Cli;

/// <summary>The CLI's way to a running <c>alquimia serve</c>, which owns the warehouse: with its token, or not at all.</summary>
internal static class RunningServer
{
    /// <summary>A client of <paramref name="server"/>; null, having said why on standard error, when ALQUIMIA_TOKEN is not set.</summary>
    public static ServerClient? Client(ServerFile server, string what)
    {
        var token = Environment.GetEnvironmentVariable(ServerOptions.TokenVariable);
        if (!string.IsNullOrWhiteSpace(token))
        {
            return new ServerClient(server, token);
        }

        Console.Error.WriteLine(
            $"error: alquimia serve (process {server.ProcessId}, {server.Url}) owns the warehouse: set {ServerOptions.TokenVariable} to its token to send it {what}.");
        return null;
    }

    /// <summary>
    /// True, having said why and what to do on standard error, when a server owns <paramref name="project"/>'s warehouse
    /// and <paramref name="command"/> cannot go through it: the command would otherwise fail on DuckDB's lock.
    /// </summary>
    public static bool Holds(Project project, string command)
    {
        if (ServerFile.Find(project) is not { } server)
        {
            return false;
        }

        Console.Error.WriteLine(
            $"error: alquimia serve (process {server.ProcessId}, {server.Url}) owns the warehouse, and {command} cannot go through it yet. "
            + "Stop the server (Ctrl-C or SIGTERM: it finishes recording the run going on), run the command, then start it again.");
        return true;
    }
}
