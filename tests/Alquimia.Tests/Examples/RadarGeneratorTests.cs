using Alquimia.Examples.Radar;
using Alquimia.Tests.Ingestion.MySql;
using MySqlConnector;

namespace Alquimia.Tests.Examples;

/// <summary>
/// Seed 003's Radar database written into the tests' MariaDB: its 80+ tables with the seed's names, rows that point to
/// rows that exist, the character sets a Radar sync meets, and the same rows for the same store count.
/// </summary>
[Collection(MariaDbTests.Name)]
public sealed class RadarGeneratorTests(MariaDbServer server)
{
    private static readonly string[] SeedTables =
    [
        "store", "store_metrics", "store_general_strategy", "store_document", "store_distributor", "user_access", "user_store", "user_document",
        "user_terms", "product", "product_ean", "product_pbm", "product_category", "contest", "contest_objective", "contest_score", "voucher",
        "brand_metrics_average", "performance_indicators", "dashboard_data",
    ];

    [Fact]
    public void TheRadarDatabase_HasTheSeedsTables_RowsThatPointToRows_AndTheSameRowsTwice()
    {
        var database = new MySqlConnectionStringBuilder(server.CreateDatabase()).Database;

        var first = RadarGenerator.Generate(server.ConnectionString, stores: 100, database);
        var checksum = Checksums(database);
        var second = RadarGenerator.Generate(server.ConnectionString, stores: 100, database);

        var tables = MariaDbServer.Query(server.ConnectionString, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{database}'");
        Assert.Equal(82, tables.Count);
        Assert.All(SeedTables, table => Assert.Contains(table, tables));
        Assert.Equal(first.Tables, second.Tables);
        Assert.Equal(checksum, Checksums(database));
        Assert.Equal(100, first.Tables.Single(table => table.Table == "store").Rows);
        Assert.Equal(3_000, first.Tables.Single(table => table.Table == "store_metrics").Rows);
        Assert.All(first.Tables, table => Assert.True(table.Rows > 0, $"{table.Table} is empty"));

        // Every reference finds its row.
        var orphans = new[]
        {
            "SELECT CAST(count(*) AS CHAR) FROM store_metrics m LEFT JOIN store s ON s.id = m.store_id WHERE s.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM store_distributor sd LEFT JOIN distributor d ON d.id = sd.distributor_id WHERE d.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM product p LEFT JOIN brand b ON b.id = p.brand_id WHERE b.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM product p LEFT JOIN product_category c ON c.id = p.category_id WHERE c.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM product_ean e LEFT JOIN product p ON p.id = e.product_id WHERE p.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM contest_objective o LEFT JOIN product p ON p.id = o.product_id WHERE o.product_id IS NOT NULL AND p.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM contest_score cs LEFT JOIN contest c ON c.id = cs.contest_id WHERE c.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM user_access a LEFT JOIN user_document u ON u.id = a.user_id WHERE u.id IS NULL",
            "SELECT CAST(count(*) AS CHAR) FROM voucher v LEFT JOIN store s ON s.id = v.store_id WHERE s.id IS NULL",
        };
        var connection = new MySqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;
        Assert.All(orphans, sql => Assert.Equal("0", MariaDbServer.Query(connection, sql).Single()));

        // utf8mb4 with emoji in the main tables; latin1 in a fifth of the small ones, accents kept.
        Assert.Contains("💊", MariaDbServer.Query(connection, "SELECT name FROM store WHERE name LIKE '%💊%' COLLATE utf8mb4_bin").Single(), StringComparison.Ordinal);
        Assert.Equal(12, MariaDbServer.Query(server.ConnectionString, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{database}' AND table_collation LIKE 'latin1%'").Count);
        Assert.EndsWith("(configuração padrão)", MariaDbServer.Query(connection, "SELECT name FROM return_reason WHERE id = 4").Single(), StringComparison.Ordinal);
    }

    /// <summary>CHECKSUM TABLE of every table, in name order: equal when every row of every table is.</summary>
    private List<string> Checksums(string database)
    {
        using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString);
        connection.Open();
        var checksums = new List<string>();
        foreach (var name in RadarTables.All.Select(table => table.Name).Order(StringComparer.Ordinal))
        {
            using var command = new MySqlCommand($"CHECKSUM TABLE `{name}`", connection);
            using var reader = command.ExecuteReader();
            reader.Read();
            checksums.Add($"{name} {reader.GetValue(1)}");
        }

        return checksums;
    }
}
