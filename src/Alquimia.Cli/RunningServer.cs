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
}
