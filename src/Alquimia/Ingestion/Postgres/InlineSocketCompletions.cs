namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// Makes .NET complete socket reads on the thread that polls the sockets, instead of handing each completion to the
/// thread pool. A process that extracts from PostgreSQL should call <see cref="Enable"/> first thing, before any socket
/// is opened: .NET reads the setting once, from the environment, when the first socket is used.
/// </summary>
/// <remarks>
/// A binary COPY arrives as one message per row, and the client reads it faster than the server sends it, so most
/// reads wait for data. Each wait handed over to the thread pool cost kernel time (futexes, yields): reading 2M
/// chamados took 1.9 CPU-seconds of the client, against 0.85 with completions inline and 0.63 for psql, and on a
/// 2-core machine that time is taken from the server and from DuckDB. Inline completions suit a process whose socket
/// continuations are short, as the CLI's are; a process that runs long work after an await on a socket (a web server
/// doing queries) should not enable them.
/// </remarks>
public static class InlineSocketCompletions
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Enables inline completions for this process, unless its environment already says otherwise.</summary>
    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
