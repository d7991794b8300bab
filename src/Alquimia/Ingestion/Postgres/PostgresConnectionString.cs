using Npgsql;

namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// A source's <c>connection</c> as Npgsql takes it: <c>${VARIABLE}</c> references expanded from the environment (so
/// that passwords stay out of the project), and a <c>postgres://user:password@host:port/database</c> URL, the form
/// Supabase and most hosts hand out, turned into keywords.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>A source's connection, expanded; its messages name the source.</summary>
    public static string Resolve(string sourceName, string written) => Expand(written, $"Source '{sourceName}'");

    /// <summary>The connection string Npgsql takes; <paramref name="owner"/> begins the messages, e.g. "Source 'x'".</summary>
    public static string Expand(string written, string owner)
    {
        var expanded = ConnectionUrl.Expand(written, owner, "the database's postgres:// URL");
        return ConnectionUrl.IsUrl(expanded, "postgres", "postgresql") ? FromUrl(owner, expanded) : expanded;
    }

    /// <summary>Where the connection points, for messages: never its password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }

    /// <summary>A PostgreSQL error as one line: <paramref name="who"/>, the server (never the password), and PostgreSQL's own words.</summary>
    public static AlquimiaException Failed(string who, string connectionString, Exception error)
    {
        var reason = error switch
        {
            PostgresException postgres => $"{postgres.SqlState}: {postgres.MessageText}",
            NpgsqlException { InnerException: { } inner } => inner.Message,
            _ => error.Message,
        };
        string where;
        try
        {
            where = Describe(connectionString);
        }
        catch (ArgumentException)
        {
            where = "its connection string";
        }

        return new AlquimiaException($"{who} ({where}): {reason.ReplaceLineEndings(" ")}", error);
    }

    private static string FromUrl(string owner, string url)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        ConnectionUrl.Read(url, owner, "postgres://user:password@host:5432/database", builder, (host, port, database) =>
        {
            builder.Host = host;
            builder.Port = port ?? 5432;
            builder.Database = database.Length > 0 ? database : "postgres";
        }, "Username");
        return builder.ConnectionString;
    }
}
