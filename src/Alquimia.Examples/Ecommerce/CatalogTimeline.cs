namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// What the shop sells and who can buy at each moment of a <see cref="CatalogDay"/>: an order placed at a time names a
/// customer and products live then, at the price the product had then. A customer or product deleted during the day
/// takes no order that day; one created during the day takes orders from its creation on.
/// </summary>
internal sealed class CatalogTimeline
{
    private readonly List<int> _steadyCustomers;
    private readonly List<(DateTime At, int Id)> _newCustomers;
    private readonly List<int> _steadyProducts;
    private readonly List<(DateTime At, int Id)> _newProducts;
    private readonly Dictionary<int, Product> _productsAtStart;
    private readonly Dictionary<int, Product> _productsChanged;

    public CatalogTimeline(CatalogDay day)
    {
        var deletedCustomers = day.Changes.OfType<CustomerDeleted>().Select(change => change.IdCliente).ToHashSet();
        _steadyCustomers = [.. day.StartCustomers.Select(row => row.IdCliente).Where(id => !deletedCustomers.Contains(id))];
        _newCustomers = [.. day.Changes.OfType<CustomerWritten>().Where(change => change.IsNew).Select(change => (change.At, change.Row.IdCliente))];

        var deletedProducts = day.Changes.OfType<ProductDeleted>().Select(change => change.IdProduto).ToHashSet();
        _steadyProducts = [.. day.StartProducts.Select(row => row.IdProduto).Where(id => !deletedProducts.Contains(id))];
        var written = day.Changes.OfType<ProductWritten>().ToList();
        _newProducts = [.. written.Where(change => change.IsNew).Select(change => (change.At, change.Row.IdProduto))];
        _productsAtStart = day.StartProducts.ToDictionary(row => row.IdProduto);
        _productsChanged = written.ToDictionary(change => change.Row.IdProduto, change => change.Row);
    }

    /// <summary>A customer who can place an order at <paramref name="at"/>, drawn at random.</summary>
    public int CustomerAt(Random random, DateTime at) => Draw(random, _steadyCustomers, _newCustomers, at);

    /// <summary>A product on sale at <paramref name="at"/>, drawn at random.</summary>
    public int ProductAt(Random random, DateTime at) => Draw(random, _steadyProducts, _newProducts, at);

    /// <summary>The product's row as it stood at <paramref name="at"/>: its price then. A product created that day is drawn only after its creation.</summary>
    public Product Product(int id, DateTime at) =>
        _productsChanged.TryGetValue(id, out var changed) && (at >= changed.AtualizadoEm || !_productsAtStart.ContainsKey(id)) ? changed : _productsAtStart[id];

    private static int Draw(Random random, List<int> steady, List<(DateTime At, int Id)> created, DateTime at)
    {
        var available = created.Where(row => row.At <= at).Select(row => row.Id).ToList();
        var index = random.Next(steady.Count + available.Count);
        return index < steady.Count ? steady[index] : available[index - steady.Count];
    }
}
