using System.Text.RegularExpressions;
using Npgsql;

namespace Alquimia.Ingestion.Postgres;

/// <summary>
/// A source's <c>connection</c> as Npgsql takes it: <c>${VARIABLE}</c> references expanded from the environment (so
/// that passwords stay out of the project), and a <c>postgres://user:password@host:port/database</c> URL, the form
/// Supabase and most hosts hand out, turned into keywords.
/// </summary>
public static partial class PostgresConnectionString
{
    /// <summary>A source's connection, expanded; its messages name the source.</summary>
    public static string Resolve(string sourceName, string written) => Expand(written, $"Source '{sourceName}'");

    /// <summary>The connection string Npgsql takes; <paramref name="owner"/> begins the messages, e.g. "Source 'x'".</summary>
    public static string Expand(string written, string owner)
    {
        var expanded = Variable().Replace(written, match =>
            Environment.GetEnvironmentVariable(match.Groups["name"].Value) is { Length: > 0 } value
                ? value
                : throw new AlquimiaException(
                    $"{owner}: its connection reads the environment variable {match.Groups["name"].Value}, which is not set. Set it to the database's postgres:// URL or connection string."));
        return expanded.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || expanded.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(owner, expanded)
            : expanded;
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
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new AlquimiaException($"{owner}: its connection is not a valid postgres:// URL. Write it as postgres://user:password@host:5432/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : "postgres",
        };
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user);
        }

        if (uri.UserInfo.Split(':', 2) is [_, var password])
        {
            builder.Password = Uri.UnescapeDataString(password);
        }

        // Query options (sslmode=require, …) are Npgsql keywords too.
        foreach (var option in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = option.Split('=', 2);
            builder[Uri.UnescapeDataString(pair[0])] = pair.Length == 2 ? Uri.UnescapeDataString(pair[1]) : "true";
        }

        return builder.ConnectionString;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
