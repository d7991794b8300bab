using Alquimia.Examples.Ecommerce;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Warehouse.DuckDb;
using Npgsql;

namespace Alquimia.Tests.Examples;

/// <summary>
/// Seed 002's e-commerce generator against the real test server: the same options write the same tables and files,
/// day after day; it refuses to mix generations; and <c>alquimia generate --example ecommerce</c> writes a day.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class EcommerceGeneratorTests(PostgresServer server) : IDisposable
{
    private static readonly EcommerceGeneratorOptions Small = new() { Customers = 30, Products = 12, OrdersPerDay = 40, Seed = 5 };

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Files_HoldTheProjectItsTwoSourcesAndTheModelsOfEachLayer()
    {
        Assert.Equal(
            [
                "alquimia.yml", "models/bronze/order_items.sql", "models/bronze/orders.sql",
                "models/gold/dm_customer.sql", "models/gold/dm_product.sql", "models/gold/ft_vendas.sql",
                "models/gold/kpi_vendas_diarias.sql", "models/gold/kpi_vendas_por_categoria.sql", "models/gold/kpi_vendas_por_estado.sql",
                "models/silver/tb_item_pedido.sql", "models/silver/tb_pedido.sql", "sources/loja.yml", "sources/pedidos.yml",
            ],
            EcommerceExample.Files);
    }

    [Fact]
    public void TheSameOptions_WriteTheSameTablesAndFiles_DayAfterDay_AndAnotherSeedOtherOnes()
    {
        var (first, firstLake) = (server.CreateDatabase(), Lake("first"));
        var (second, secondLake) = (server.CreateDatabase(), Lake("second"));
        var (other, otherLake) = (server.CreateDatabase(), Lake("other"));

        foreach (var (database, lake, options) in new[] { (first, firstLake, Small), (second, secondLake, Small), (other, otherLake, Small with { Seed = 6 }) })
        {
            EcommerceGenerator.Generate(database, lake, options);
            EcommerceGenerator.GenerateNextDay(database, lake, options);
            EcommerceGenerator.GenerateNextDay(database, lake, options);
        }

        Assert.Equal(Tables(first), Tables(second));
        Assert.Equal(Files(firstLake), Files(secondLake));
        Assert.NotEqual(Tables(first), Tables(other));
        Assert.NotEqual(Files(firstLake).Values, Files(otherLake).Values);
        Assert.Equal(6, Files(firstLake).Count);
    }

    [Fact]
    public void EachDay_ChangesTheTablesAsItsSummarySays_AndLandsItsOrders()
    {
        var database = server.CreateDatabase();
        var lake = Lake("lake");

        var firstDay = EcommerceGenerator.Generate(database, lake, Small);
        var before = Ids(database);
        var nextDay = EcommerceGenerator.GenerateNextDay(database, lake, Small);
        var after = Ids(database);

        Assert.Equal(new DateOnly(2026, 1, 1), firstDay.Day);
        Assert.Equal((30, 0, 0), firstDay.Customers);
        Assert.Equal((12, 0, 0), firstDay.Products);
        Assert.Equal(new DateOnly(2026, 1, 2), nextDay.Day);
        var (inserted, updated, deleted) = nextDay.Customers;
        Assert.Equal(inserted, after.Customers.Except(before.Customers).Count());
        Assert.Equal(deleted, before.Customers.Except(after.Customers).Count());
        Assert.Equal(updated.ToString(System.Globalization.CultureInfo.InvariantCulture),
            PostgresServer.Query(database, "SELECT count(*)::text FROM customers WHERE atualizado_em >= '2026-01-02' AND criado_em < '2026-01-02'").Single());
        Assert.True(inserted > 0 && updated > 0 && deleted > 0);
        // The new orders, the five bad rows (two orders and three items) and the day before's status updates.
        Assert.Equal(40 + 2 + nextDay.StatusUpdates, File.ReadAllLines(nextDay.OrdersFile).Length);
        Assert.Equal(nextDay.Items, File.ReadAllLines(nextDay.ItemsFile).Length);
        Assert.Equal(40 / 5, nextDay.StatusUpdates);
    }

    [Fact]
    public void Generate_RefusesALakeOrADatabaseThatHasADay_AndTheNextDayNeedsBoth()
    {
        var database = server.CreateDatabase();
        var lake = Lake("lake");
        var noFirstDay = Assert.Throws<AlquimiaException>(() => EcommerceGenerator.GenerateNextDay(database, lake, Small));
        EcommerceGenerator.Generate(database, lake, Small);

        var lakeAgain = Assert.Throws<AlquimiaException>(() => EcommerceGenerator.Generate(database, lake, Small));
        var databaseAgain = Assert.Throws<AlquimiaException>(() => EcommerceGenerator.Generate(database, Lake("another"), Small));
        var otherDatabase = Assert.Throws<AlquimiaException>(() => EcommerceGenerator.GenerateNextDay(server.CreateDatabase(), lake, Small));

        Assert.Contains("has no e-commerce orders yet", noFirstDay.Message, StringComparison.Ordinal);
        Assert.Contains("already has e-commerce orders up to 2026-01-01. Use --next-day", lakeAgain.Message, StringComparison.Ordinal);
        Assert.Contains("already has public.customers, public.products. Use --next-day", databaseAgain.Message, StringComparison.Ordinal);
        Assert.Contains("has no public.customers, public.products", otherDatabase.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_GenerateExampleEcommerce_WritesTheFirstDay_ThenTheNextOne_IntoTheDatabaseOfTheVariable()
    {
        var database = server.CreateDatabase();
        var builder = new NpgsqlConnectionStringBuilder(database);
        var lake = Lake("cli");
        var environment = new Dictionary<string, string> { [EcommerceExample.ConnectionVariable] = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}" };
        string[] generate = ["generate", "--example", "ecommerce", "--lake", lake, "--rows", "25", "--seed", "9"];

        var first = await CliProcess.RunAsync(generate, environment: environment);
        var next = await CliProcess.RunAsync([.. generate, "--next-day"], environment: environment);
        var again = await CliProcess.RunAsync(generate, environment: environment);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains($"Wrote schema public of {builder.Host}:{builder.Port}/{builder.Database} as {builder.Username} and {lake}:", first.Output, StringComparison.Ordinal);
        Assert.Contains("day 2026-01-01", first.Output, StringComparison.Ordinal);
        Assert.Contains("25 new orders", first.Output, StringComparison.Ordinal);
        Assert.True(next.ExitCode == 0, next.Output + next.Error);
        Assert.Contains("customers: 200 inserted, 0 updated, 0 deleted", first.Output, StringComparison.Ordinal);
        Assert.Contains("day 2026-01-02", next.Output, StringComparison.Ordinal);
        // The defaults' 200 customers, and the next day's 5% new, 8% moved and 3% new e-mails, 2% deleted.
        Assert.Contains("customers: 10 inserted, 22 updated, 4 deleted", next.Output, StringComparison.Ordinal);
        Assert.Equal(["206"], PostgresServer.Query(database, "SELECT count(*)::text FROM customers"));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Use --next-day", again.SingleErrorLine(), StringComparison.Ordinal);
    }

    private string Lake(string name) => Path.Combine(_directory.Path, name);

    /// <summary>Both tables, row by row, as PostgreSQL writes them.</summary>
    private static List<string> Tables(string database) =>
        [.. PostgresServer.Query(database, "SELECT row_to_json(c)::text FROM customers c ORDER BY id_cliente"),
         .. PostgresServer.Query(database, "SELECT row_to_json(p)::text FROM products p ORDER BY id_produto")];

    /// <summary>Each landing file's text, by its path inside the lake.</summary>
    private static SortedDictionary<string, string> Files(string lake) => new(
        Directory.GetFiles(lake, "*.json", SearchOption.AllDirectories).ToDictionary(path => Path.GetRelativePath(lake, path), File.ReadAllText),
        StringComparer.Ordinal);

    private static (HashSet<string> Customers, HashSet<string> Products) Ids(string database) =>
        ([.. PostgresServer.Query(database, "SELECT id_cliente::text FROM customers")], [.. PostgresServer.Query(database, "SELECT id_produto::text FROM products")]);
}
