using System.Globalization;

namespace Alquimia.Examples.Ecommerce;

/// <summary>What one call of <see cref="EcommerceGenerator"/> wrote: a day of changes to the database and of files to the lake.</summary>
/// <param name="Day">The day generated.</param>
/// <param name="Customers">Customers inserted, updated and deleted that day (on the first day, the ones created).</param>
/// <param name="Products">Products inserted, updated and deleted that day.</param>
/// <param name="Orders">Valid new orders.</param>
/// <param name="StatusUpdates">New versions of the day before's orders (enviado, cancelado).</param>
/// <param name="Items">Lines of the items file, bad ones included.</param>
/// <param name="OrdersFile">The orders file written.</param>
/// <param name="ItemsFile">The items file written.</param>
public sealed record EcommerceGeneration(
    DateOnly Day,
    (int Inserted, int Updated, int Deleted) Customers,
    (int Inserted, int Updated, int Deleted) Products,
    int Orders,
    int StatusUpdates,
    int Items,
    string OrdersFile,
    string ItemsFile)
{
    /// <summary>The deliberately bad rows every day brings, as the expectations catch them.</summary>
    public static IReadOnlyList<string> BadRows => OrderDay.BadRows;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"""
        day {Day:yyyy-MM-dd}
          customers: {Customers.Inserted} inserted, {Customers.Updated} updated, {Customers.Deleted} deleted
          products: {Products.Inserted} inserted, {Products.Updated} updated, {Products.Deleted} deleted
          {OrdersFile}: {Orders} new orders, {StatusUpdates} status updates of the day before's, 2 bad orders
          {ItemsFile}: {Items} items, 3 of them bad
          bad rows: {string.Join("; ", BadRows)}
        """);
}
