using Alquimia.Ingestion.Postgres;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Postgres;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void AUrl_BecomesKeywords_WithEscapesAndOptions()
    {
        var resolved = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Resolve("vendas", "postgres://leitor:s%40nha:forte@db.supabase.co:6543/central?sslmode=require"));

        Assert.Equal(("db.supabase.co", 6543, "central", "leitor", "s@nha:forte", SslMode.Require),
            (resolved.Host, resolved.Port, resolved.Database, resolved.Username, resolved.Password, resolved.SslMode));
    }

    [Fact]
    public void EnvironmentVariables_AreExpanded_AndAMissingOneIsNamed()
    {
        var variable = $"ALQUIMIA_TEST_PG_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "postgresql://eu@localhost/banco");
        try
        {
            Assert.Equal("localhost:5432/banco as eu", PostgresConnectionString.Describe(PostgresConnectionString.Resolve("vendas", $"${{{variable}}}")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var missing = Assert.Throws<AlquimiaException>(() => PostgresConnectionString.Resolve("vendas", $"${{{variable}}}"));
        Assert.Equal($"Source 'vendas': its connection reads the environment variable {variable}, which is not set. Set it to the database's postgres:// URL or connection string.", missing.Message);
    }
}
