using System.Globalization;

namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// The orders file and the order items file of one day: the day's new orders, each with one to three items at the
/// price of the moment; a new version, with status enviado or cancelado, of a fifth of the previous day's orders; and
/// five deliberately bad rows (<see cref="BadRows"/>).
/// </summary>
internal sealed class OrderDay
{
    /// <summary>The bad rows of every day, as the expectations catch them.</summary>
    public static readonly IReadOnlyList<string> BadRows =
    [
        "an order with an unknown status (extraviado)",
        "an order without a customer",
        "an item with quantity 0",
        "an item whose quantity is the word \"duas\"",
        "an item with a negative price",
    ];

    private static readonly int[] Quantities = [1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4];

    private OrderDay(List<Order> orders, List<OrderItem> items, int newOrders, int statusUpdates)
    {
        Orders = orders;
        Items = items;
        NewOrders = newOrders;
        StatusUpdates = statusUpdates;
    }

    /// <summary>The orders file's lines: the status updates, then the new orders by id, then the two bad orders.</summary>
    public IReadOnlyList<Order> Orders { get; }

    public IReadOnlyList<OrderItem> Items { get; }

    /// <summary>The valid new orders.</summary>
    public int NewOrders { get; }

    public int StatusUpdates { get; }

    /// <summary>Plans the orders of <paramref name="catalog"/>'s day.</summary>
    /// <param name="previousDay">The orders file of the day before, whose orders get new statuses; empty on the first day.</param>
    public static OrderDay Plan(Random random, CatalogDay catalog, int ordersPerDay, IReadOnlyList<Order> previousDay)
    {
        var start = catalog.Day.ToDateTime(TimeOnly.MinValue);
        DateTime Time() => start.AddSeconds(random.Next(86_400));
        var timeline = new CatalogTimeline(catalog);
        // An order's id is its day and its number in the day: 2026030100001 is the first of March 1st, 2026.
        var firstId = long.Parse(catalog.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) * 100_000 + 1;

        var updates = ShippedOrCancelled(random, catalog.Day, previousDay, Time);
        var orders = new List<Order>(updates);
        var items = new List<OrderItem>();
        var times = Enumerable.Range(0, ordersPerDay).Select(_ => Time()).Order().ToList();
        foreach (var (at, index) in times.Select((at, index) => (at, index)))
        {
            var order = new Order(firstId + index, timeline.CustomerAt(random, at), at, OrderStatus.Pago, Pick(random, ShopVocabulary.PaymentMethods), at);
            orders.Add(order);
            items.AddRange(ItemsOf(random, timeline, order, 1 + random.Next(3)));
        }

        // Three good orders, drawn at random (a random sort key each), get one bad item each.
        var newOrders = orders.Skip(updates.Count).ToList();
        foreach (var (order, item) in newOrders.OrderBy(_ => random.Next()).Take(3).Select((order, item) => (order, item)))
        {
            var line = items.Count(row => row.IdPedido == order.IdPedido) + 1;
            var valid = ItemsOf(random, timeline, order, 1).Single() with { IdItem = line };
            items.Add(item switch
            {
                0 => valid with { Quantidade = 0 },
                1 => valid with { Quantidade = 2, QuantidadeComoTexto = "duas" },
                _ => valid with { PrecoUnitario = -valid.PrecoUnitario },
            });
        }

        for (var bad = 0; bad < 2; bad++)
        {
            var at = Time();
            var order = new Order(firstId + ordersPerDay + bad, timeline.CustomerAt(random, at), at, OrderStatus.Pago, Pick(random, ShopVocabulary.PaymentMethods), at);
            order = bad == 0 ? order with { Status = OrderStatus.Desconhecido } : order with { IdCliente = null };
            orders.Add(order);
            items.AddRange(ItemsOf(random, timeline, order, 1));
        }

        return new OrderDay(orders, [.. items.OrderBy(item => item.IdPedido).ThenBy(item => item.IdItem)], ordersPerDay, updates.Count);
    }

    /// <summary>A fifth of the previous day's good new orders, shipped (three in four) or cancelled at some time of this day.</summary>
    private static List<Order> ShippedOrCancelled(Random random, DateOnly day, IReadOnlyList<Order> previousDay, Func<DateTime> time)
    {
        var placed = previousDay
            .Where(order => DateOnly.FromDateTime(order.PedidoEm) == day.AddDays(-1) && order.Status == OrderStatus.Pago && order.IdCliente is not null)
            .ToList();
        var updated = new List<Order>();
        for (var count = placed.Count / 5; count > 0; count--)
        {
            var index = random.Next(placed.Count);
            var status = random.Next(4) == 0 ? OrderStatus.Cancelado : OrderStatus.Enviado;
            updated.Add(placed[index] with { Status = status, AtualizadoEm = time() });
            placed.RemoveAt(index);
        }

        return [.. updated.OrderBy(order => order.IdPedido)];
    }

    private static List<OrderItem> ItemsOf(Random random, CatalogTimeline timeline, Order order, int count)
    {
        var products = new List<int>();
        while (products.Count < count)
        {
            var product = timeline.ProductAt(random, order.PedidoEm);
            if (!products.Contains(product))
            {
                products.Add(product);
            }
        }

        return [.. products.Select((product, index) =>
            new OrderItem(order.IdPedido, index + 1, product, Pick(random, Quantities), timeline.Product(product, order.PedidoEm).Preco))];
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];
}
