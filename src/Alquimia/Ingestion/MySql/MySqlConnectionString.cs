using MySqlConnector;

namespace Alquimia.Ingestion.MySql;

/// <summary>
/// A MySQL source's <c>connection</c> as MySqlConnector takes it: <c>${VARIABLE}</c> references expanded from the
/// environment (passwords stay out of the project), a <c>mysql://user:password@host:3306/database</c> URL turned into
/// keywords, and the source's <c>ssl_mode</c> and <c>database</c> applied over what the string says.
/// </summary>
internal static class MySqlConnectionString
{
    /// <summary>The connection string of the source's connections; its messages name the source.</summary>
    public static string Resolve(string sourceName, MySqlOptions options)
    {
        var owner = $"Source '{sourceName}'";
        var expanded = ConnectionUrl.Expand(options.Connection, owner, "the server's mysql:// URL");
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = ConnectionUrl.IsUrl(expanded, "mysql", "mariadb")
                ? FromUrl(owner, expanded)
                : new MySqlConnectionStringBuilder(expanded);
        }
        catch (ArgumentException error)
        {
            throw new AlquimiaException($"{owner}: its connection is not a valid MySqlConnector connection string ({error.Message}). Write it as Server=host;Port=3306;User ID=user;Password=…;Database=db, or as mysql://user:password@host:3306/db.");
        }

        builder.SslMode = options.Tls switch
        {
            MySqlTlsMode.Required => MySqlSslMode.Required,
            MySqlTlsMode.VerifyCa => MySqlSslMode.VerifyCA,
            MySqlTlsMode.VerifyFull => MySqlSslMode.VerifyFull,
            _ => MySqlSslMode.Preferred,
        };
        if (options.Database is { } database)
        {
            builder.Database = database;
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new AlquimiaException($"{owner}: neither its 'database' nor its connection names the database its tables are in. Add e.g. database: radar to the source.");
        }

        // Each connection holds its own snapshot for the run: never one handed back by a pool. The step's timeout, not
        // the driver's, bounds a table's read.
        builder.Pooling = false;
        builder.DefaultCommandTimeout = 0;
        // Values arrive as the server holds them: MySqlConnector's defaults read every CHAR(36) as a Guid (lowercasing
        // its text, failing on any other text) and a TINYINT(1) as a bool (2 would become true).
        builder.GuidFormat = MySqlGuidFormat.None;
        builder.TreatTinyAsBoolean = false;
        // A table's SELECT is prepared, for the binary protocol (MySqlValueForm), and its dates are read as their fields,
        // zero dates included, which the source's zero_dates decides on.
        builder.IgnorePrepare = false;
        builder.AllowZeroDateTime = true;
        return builder.ConnectionString;
    }

    /// <summary>Where the connection points, for messages: never its password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        return $"{builder.Server}:{builder.Port}/{builder.Database} as {builder.UserID}";
    }

    /// <summary>A MySQL error as one line: <paramref name="who"/>, the server (never the password), the server's own words, and a fix where one is known.</summary>
    public static AlquimiaException Failed(string who, string connectionString, Exception error)
    {
        var reason = error is MySqlException { Number: > 0 } mysql ? $"{mysql.Number}: {mysql.Message}" : error.Message;
        string where;
        MySqlSslMode? tls = null;
        try
        {
            where = Describe(connectionString);
            tls = new MySqlConnectionStringBuilder(connectionString).SslMode;
        }
        catch (ArgumentException)
        {
            where = "its connection string";
        }

        var fix = tls is not (null or MySqlSslMode.None or MySqlSslMode.Preferred) && reason.Contains("SSL", StringComparison.OrdinalIgnoreCase)
            ? " The source's ssl_mode asks for TLS, which the server does not offer: enable TLS on the server (ssl_cert, ssl_key), or set ssl_mode: preferred to connect without it."
            : "";
        return new AlquimiaException($"{who} ({where}): {reason.ReplaceLineEndings(" ")}{fix}", error);
    }

    private static MySqlConnectionStringBuilder FromUrl(string owner, string url)
    {
        var builder = new MySqlConnectionStringBuilder();
        ConnectionUrl.Read(url, owner, "mysql://user:password@host:3306/database", builder, (host, port, database) =>
        {
            builder.Server = host;
            builder.Port = port is { } given ? (uint)given : 3306u;
            builder.Database = database;
        }, "User ID");
        return builder;
    }
}
