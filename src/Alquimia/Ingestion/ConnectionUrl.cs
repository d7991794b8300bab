using System.Data.Common;
using System.Text.RegularExpressions;

namespace Alquimia.Ingestion;

/// <summary>
/// What a database source's <c>connection</c> is written as, whatever its driver: <c>${VARIABLE}</c> references
/// expanded from the environment (so that passwords stay out of the project), and a
/// <c>scheme://user:password@host:port/database?option=value</c> URL, the form hosts hand out, read into the driver's
/// keywords.
/// </summary>
internal static partial class ConnectionUrl
{
    /// <summary><paramref name="written"/> with each <c>${VARIABLE}</c> replaced by the variable's value.</summary>
    /// <param name="owner">Begins the messages, e.g. "Source 'radar'".</param>
    /// <param name="form">What the variable should hold, for the message, e.g. "the server's mysql:// URL".</param>
    /// <exception cref="AlquimiaException">A variable is not set.</exception>
    public static string Expand(string written, string owner, string form) =>
        Variable().Replace(written, match =>
            Environment.GetEnvironmentVariable(match.Groups["name"].Value) is { Length: > 0 } value
                ? value
                : throw new AlquimiaException(
                    $"{owner}: its connection reads the environment variable {match.Groups["name"].Value}, which is not set. Set it to {form} or connection string."));

    /// <summary>True when <paramref name="text"/> is a URL of one of <paramref name="schemes"/> (<c>mysql</c>, <c>mariadb</c>).</summary>
    public static bool IsUrl(string text, params string[] schemes) =>
        schemes.Any(scheme => text.StartsWith(scheme + "://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Fills <paramref name="builder"/> from <paramref name="url"/>: the host, port and database through the driver's own
    /// setters, then the user, the password and the query's options as keywords, which every driver shares.
    /// </summary>
    /// <exception cref="AlquimiaException">The URL has no host.</exception>
    public static void Read(
        string url, string owner, string example, DbConnectionStringBuilder builder, Action<string, int?, string> server, string userKeyword)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new AlquimiaException($"{owner}: its connection is not a valid URL. Write it as {example}.");
        }

        server(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port, Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')));
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0)
        {
            builder[userKeyword] = Uri.UnescapeDataString(user);
        }

        if (uri.UserInfo.Split(':', 2) is [_, var password])
        {
            builder["Password"] = Uri.UnescapeDataString(password);
        }

        // Query options (sslmode=require, ConnectionTimeout=5, …) are the driver's keywords too.
        foreach (var option in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = option.Split('=', 2);
            builder[Uri.UnescapeDataString(pair[0])] = pair.Length == 2 ? Uri.UnescapeDataString(pair[1]) : "true";
        }
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
