using System.Security.Cryptography;
using System.Text;
using Alquimia.Projects;
using Alquimia.Serving;

namespace Alquimia.Server;

/// <summary>Who sent a request: the operator (everything), or an API key (its tables, at its rate).</summary>
/// <param name="Name"><c>operator</c>, or the key's name in alquimia.yml.</param>
/// <param name="RateLimit">The key's rate; null for the operator, who is not limited.</param>
public sealed record ApiCaller(string Name, ReadScope Scope, RateLimitDefinition? RateLimit)
{
    public bool IsOperator => RateLimit is null;
}

/// <summary>
/// The bearer tokens the server accepts: the operator token and the API keys of <c>serve.api_keys</c>. Only their
/// SHA-256 is kept; a token is hashed and compared with each in constant time.
/// </summary>
public sealed class ApiCallers
{
    /// <summary>A key read from the environment shorter than this is refused: a key is a secret, not a password.</summary>
    public const int MinimumKeyLength = 24;

    private readonly List<(byte[] Hash, ApiCaller Caller)> _callers = [];

    /// <summary>The callers of <paramref name="project"/>'s server.</summary>
    /// <exception cref="AlquimiaException">A key's environment variable is not set, or its key is too short or not its own.</exception>
    public ApiCallers(Project project, ServerOptions options)
    {
        _callers.Add((Hash(options.Token), new ApiCaller("operator", ReadScope.Everything, null)));
        foreach (var key in project.Serve.ApiKeys)
        {
            var hash = key.KeySha256 is { } hex ? Convert.FromHexString(hex) : Hash(KeyFromEnvironment(key, options));
            if (_callers.FirstOrDefault(known => known.Hash.AsSpan().SequenceEqual(hash)) is { Caller: { } same })
            {
                throw new AlquimiaException(
                    $"API key '{key.Name}' is the same key as {(same.IsOperator ? "the operator token" : $"API key '{same.Name}'")}: give each caller its own key (openssl rand -hex 32).");
            }

            _callers.Add((hash, new ApiCaller(key.Name, ReadScope.Of(key), key.RateLimit ?? project.Serve.RateLimit)));
        }
    }

    /// <summary>The caller whose token is <paramref name="token"/>, or null.</summary>
    public ApiCaller? Identify(string token)
    {
        var given = Hash(token);
        ApiCaller? found = null;
        // Every hash is compared, so the time taken does not say which one matched.
        foreach (var (hash, caller) in _callers)
        {
            if (CryptographicOperations.FixedTimeEquals(given, hash))
            {
                found = caller;
            }
        }

        return found;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string KeyFromEnvironment(ApiKeyDefinition key, ServerOptions options)
    {
        var value = options.Environment(key.KeyVariable!);
        if (string.IsNullOrEmpty(value))
        {
            throw new AlquimiaException(
                $"API key '{key.Name}' (alquimia.yml, line {key.Line}) reads its key from the environment variable {key.KeyVariable}, which is not set. Set it to a long random secret (openssl rand -hex 32), or remove the key.");
        }

        if (value.Length < MinimumKeyLength)
        {
            throw new AlquimiaException(
                $"API key '{key.Name}': the key in {key.KeyVariable} has {value.Length} characters, fewer than {MinimumKeyLength}. Use a long random secret (openssl rand -hex 32).");
        }

        return value;
    }
}
