using Alquimia.Projects;
using Alquimia.Server;
using Alquimia.Warehouse;

namespace Alquimia.Cli;

/// <summary>
/// The reads of the CLI's commands (status, quality, query, show): on the warehouse opened read-only, or, while
/// <c>alquimia serve</c> owns it, through the server's API, which answers the same records.
/// </summary>
internal static class WarehouseReads
{
    /// <summary>The read's result; null, having said why, when a server owns the warehouse and ALQUIMIA_TOKEN is not set.</summary>
    public static async Task<T?> ReadAsync<T>(Project project, string what, Func<EmbeddedWarehouse, T> local, Func<ServerClient, Task<T>> remote)
        where T : class
    {
        if (ServerFile.Find(project) is { } server)
        {
            using var client = RunningServer.Client(server, what);
            return client is null ? null : await remote(client).ConfigureAwait(false);
        }

        using var warehouse = EmbeddedWarehouse.Open(project, readOnly: true);
        return local(warehouse);
    }
}
