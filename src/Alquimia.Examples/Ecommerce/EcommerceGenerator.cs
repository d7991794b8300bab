using Alquimia.Ingestion.Postgres;
using Npgsql;

namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// Seed 002's e-commerce data, a day at a time: customers and products changing in a PostgreSQL database (for the
/// postgres_cdc source <c>loja</c> to capture), and each day's orders and order items landing as JSON files (for the
/// files source <c>pedidos</c>), with five deliberately bad rows a day that the expectations catch.
/// </summary>
/// <remarks>
/// Every choice comes from a <see cref="Random"/> seeded with the options' seed and the day, one for the database's
/// changes and one for the orders: the same options, with the days generated in the same order, write the same rows.
/// Orders only name customers and products live when they are placed, at the price of that moment, so the customer's
/// state and the product's category at an order's time are those of the table's history.
/// </remarks>
public static class EcommerceGenerator
{
    private const string PostgresOwner = "The e-commerce database to generate into";

    /// <summary>
    /// The first day: creates <c>customers</c> and <c>products</c> in the options' schema, fills them, and writes the
    /// day's orders under <paramref name="lakePath"/>. Neither the tables nor any orders file may exist yet.
    /// </summary>
    /// <param name="connection">A postgres:// URL or an Npgsql connection string; <c>${VAR}</c> is read from the environment.</param>
    public static EcommerceGeneration Generate(string connection, string lakePath, EcommerceGeneratorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (OrderFiles.NewestDay(lakePath) is { } newest)
        {
            throw new AlquimiaException(
                $"The lake '{lakePath}' already has e-commerce orders up to {newest:yyyy-MM-dd}. Use --next-day to add a day, or delete {OrderFiles.TableFolder(lakePath, OrderFiles.OrdersTable)} to start again.");
        }

        return OnPostgres(connection, options, (database, described) =>
        {
            if (database.ExistingTables() is { Count: > 0 } existing)
            {
                throw new AlquimiaException(
                    $"{PostgresOwner} ({described}) already has {string.Join(", ", existing.Select(table => $"{options.Schema}.{table}"))}. "
                    + "Use --next-day to add a day to them, drop them to generate again, or choose another --schema.");
            }

            var catalog = CatalogDay.First(RandomFor(options, options.StartDate, Stream.Catalog), options.StartDate, options.Customers, options.Products);
            database.Create(catalog.StartCustomers, catalog.StartProducts);
            return WriteOrders(lakePath, options, catalog, [], (catalog.StartCustomers.Count, 0, 0), (catalog.StartProducts.Count, 0, 0));
        });
    }

    /// <summary>
    /// The day after the newest orders file in the lake: changes customers and products (inserts, moves, new e-mails,
    /// new prices and categories, deletes, each a transaction of its own) and writes the day's orders. Pass the options
    /// the first day was generated with.
    /// </summary>
    public static EcommerceGeneration GenerateNextDay(string connection, string lakePath, EcommerceGeneratorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var newest = OrderFiles.NewestDay(lakePath) ?? throw new AlquimiaException(
            $"The lake '{lakePath}' has no e-commerce orders yet (nothing in {OrderFiles.TableFolder(lakePath, OrderFiles.OrdersTable)}). Generate without --next-day first.");
        var day = newest.AddDays(1);
        return OnPostgres(connection, options, (database, described) =>
        {
            var missing = ShopDatabase.Tables.Except(database.ExistingTables(), StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                throw new AlquimiaException(
                    $"{PostgresOwner} ({described}) has no {string.Join(", ", missing.Select(table => $"{options.Schema}.{table}"))}: "
                    + "generate the first day without --next-day, into the database the lake's first day was generated with.");
            }

            if (database.LatestChange() is { } latest && DateOnly.FromDateTime(latest) >= day)
            {
                throw new AlquimiaException(
                    $"{PostgresOwner} ({described}) already has changes of {DateOnly.FromDateTime(latest):yyyy-MM-dd}, and the lake's orders end on {newest:yyyy-MM-dd}: "
                    + "the lake and the database come from different generations. Give the lake that goes with this database (--lake or -p).");
            }

            var catalog = CatalogDay.Next(RandomFor(options, day, Stream.Catalog), day, database.ReadCustomers(), database.ReadProducts());
            database.Apply(catalog.Changes);
            return WriteOrders(lakePath, options, catalog, OrderFiles.ReadOrders(lakePath, newest),
                Counts(catalog.Changes.OfType<CustomerWritten>().Select(change => change.IsNew), catalog.Changes.OfType<CustomerDeleted>().Count()),
                Counts(catalog.Changes.OfType<ProductWritten>().Select(change => change.IsNew), catalog.Changes.OfType<ProductDeleted>().Count()));
        });
    }

    /// <summary>Where <paramref name="connection"/> points, for messages: host, port, database and user, never the password.</summary>
    public static string DescribePostgres(string connection) =>
        PostgresConnectionString.Describe(PostgresConnectionString.Expand(connection, PostgresOwner));

    private static EcommerceGeneration WriteOrders(
        string lakePath, EcommerceGeneratorOptions options, CatalogDay catalog, IReadOnlyList<Order> previousDay,
        (int, int, int) customers, (int, int, int) products)
    {
        var orders = OrderDay.Plan(RandomFor(options, catalog.Day, Stream.Orders), catalog, options.OrdersPerDay, previousDay);
        var (ordersFile, itemsFile) = OrderFiles.Write(lakePath, catalog.Day, orders);
        return new EcommerceGeneration(catalog.Day, customers, products, orders.NewOrders, orders.StatusUpdates, orders.Items.Count, ordersFile, itemsFile);
    }

    private static (int Inserted, int Updated, int Deleted) Counts(IEnumerable<bool> written, int deleted)
    {
        var isNew = written.ToList();
        return (isNew.Count(value => value), isNew.Count(value => !value), deleted);
    }

    /// <summary>The two independent streams of choices of a day: changing the order count leaves the database's changes as they were.</summary>
    private enum Stream
    {
        Catalog = 1,
        Orders = 2,
    }

    private static Random RandomFor(EcommerceGeneratorOptions options, DateOnly day, Stream stream)
    {
        // Random(int) is the same sequence on every runtime: its algorithm is kept for seeded instances.
        var mixed = unchecked((options.Seed * 1_000_003L + day.DayNumber) * 31 + (int)stream);
        return new Random(unchecked((int)(mixed ^ (mixed >>> 32))));
    }

    private static EcommerceGeneration OnPostgres(string connection, EcommerceGeneratorOptions options, Func<ShopDatabase, string, EcommerceGeneration> work)
    {
        ArgumentException.ThrowIfNullOrEmpty(connection);
        var connectionString = PostgresConnectionString.Expand(connection, PostgresOwner);
        try
        {
            using var postgres = new NpgsqlConnection(connectionString);
            postgres.Open();
            return work(new ShopDatabase(postgres, options.Schema), PostgresConnectionString.Describe(connectionString));
        }
        catch (NpgsqlException error)
        {
            throw PostgresConnectionString.Failed(PostgresOwner, connectionString, error);
        }
    }
}
