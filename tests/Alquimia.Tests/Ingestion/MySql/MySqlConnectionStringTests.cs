using Alquimia.Ingestion.MySql;
using MySqlConnector;

namespace Alquimia.Tests.Ingestion.MySql;

/// <summary>A mysql source's connection: a URL read into MySqlConnector's keywords, the source's ssl_mode and database over it, ${VARIABLE}s from the environment.</summary>
public sealed class MySqlConnectionStringTests
{
    [Fact]
    public void AUrl_BecomesKeywords_WithEscapesAndOptions_UnderTheSourcesSslModeAndDatabase()
    {
        var options = new MySqlOptions("mysql://bi-cognitivo-read:s%40nha:forte@db-mysql-radar.example.com:3307/outra?ConnectionTimeout=5",
            "radar", MySqlTlsMode.Required, MySqlOptions.DefaultParallel, MySqlSnapshotMode.Auto, MySqlZeroDates.Fail);

        var resolved = new MySqlConnectionStringBuilder(MySqlConnectionString.Resolve("radar", options));

        Assert.Equal(("db-mysql-radar.example.com", 3307u, "radar", "bi-cognitivo-read", "s@nha:forte", 5u, MySqlSslMode.Required, false),
            (resolved.Server, resolved.Port, resolved.Database, resolved.UserID, resolved.Password, resolved.ConnectionTimeout, resolved.SslMode, resolved.Pooling));
    }

    [Fact]
    public void AMissingVariable_IsNamed_AndAUrlWithoutAPortTakes3306()
    {
        var variable = $"ALQUIMIA_TEST_MYSQL_{Guid.NewGuid():N}";
        var options = new MySqlOptions($"${{{variable}}}", null, MySqlTlsMode.Preferred, 1, MySqlSnapshotMode.Auto, MySqlZeroDates.Fail);

        var error = Assert.Throws<AlquimiaException>(() => MySqlConnectionString.Resolve("radar", options));
        Environment.SetEnvironmentVariable(variable, "mariadb://leitor@localhost/radar");
        try
        {
            Assert.Equal("localhost:3306/radar as leitor", MySqlConnectionString.Describe(MySqlConnectionString.Resolve("radar", options)));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Assert.Equal($"Source 'radar': its connection reads the environment variable {variable}, which is not set. Set it to the server's mysql:// URL or connection string.", error.Message);
    }
}
