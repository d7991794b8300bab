namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// The shop's customers and products on one day: the rows live when the day starts, and the changes the day brings,
/// in the order the application commits them. Each row changes at most once a day, so the table as it stands after
/// each day is the history of every row; the largest id is never deleted, so the next new row takes the id after the
/// largest in the table.
/// </summary>
internal sealed class CatalogDay
{
    private static readonly string[] EmailDomains = ["email.com.br", "correio.net", "caixapostal.com"];

    private CatalogDay(DateOnly day, IReadOnlyList<Customer> customers, IReadOnlyList<Product> products, IReadOnlyList<CatalogChange> changes)
    {
        Day = day;
        StartCustomers = customers;
        StartProducts = products;
        Changes = changes;
    }

    public DateOnly Day { get; }

    /// <summary>The customers live when the day starts, by id.</summary>
    public IReadOnlyList<Customer> StartCustomers { get; }

    /// <summary>The products live when the day starts, by id.</summary>
    public IReadOnlyList<Product> StartProducts { get; }

    /// <summary>The day's changes, by time.</summary>
    public IReadOnlyList<CatalogChange> Changes { get; }

    /// <summary>The first day: <paramref name="customers"/> customers and <paramref name="products"/> products, created and last changed before it starts.</summary>
    public static CatalogDay First(Random random, DateOnly day, int customers, int products)
    {
        var start = day.ToDateTime(TimeOnly.MinValue);
        (DateTime Created, DateTime Updated) Past()
        {
            var created = start.AddSeconds(-random.Next(30 * 86_400, 730 * 86_400));
            return (created, created.AddSeconds(random.Next(0, (int)(start - created).TotalSeconds)));
        }

        var newCustomers = Enumerable.Range(1, customers).Select(id =>
        {
            var (created, updated) = Past();
            return NewCustomer(random, id, created) with { AtualizadoEm = updated };
        }).ToList();
        var newProducts = Enumerable.Range(1, products).Select(id =>
        {
            var (created, updated) = Past();
            return NewProduct(random, id, created) with { AtualizadoEm = updated };
        }).ToList();
        return new CatalogDay(day, newCustomers, newProducts, []);
    }

    /// <summary>
    /// A later day over the rows live before it: about 5% new customers, 8% moving to another city, 3% changing e-mail
    /// and 2% deleted; 5% new products, 10% repriced, 5% recategorized and 2% deleted (at least one of each).
    /// </summary>
    public static CatalogDay Next(Random random, DateOnly day, IReadOnlyList<Customer> customers, IReadOnlyList<Product> products)
    {
        var start = day.ToDateTime(TimeOnly.MinValue);
        DateTime Time() => start.AddSeconds(random.Next(86_400));
        static int Share(int count, int percent) => Math.Max(1, count * percent / 100);
        var changes = new List<CatalogChange>();

        var lastCustomer = customers.Max(row => row.IdCliente);
        var customerPool = new Pool<Customer>(random, customers.Where(row => row.IdCliente != lastCustomer));
        changes.AddRange(customerPool.Take(Share(customers.Count, 2)).Select(row => new CustomerDeleted(row.IdCliente, Time())));
        changes.AddRange(customerPool.Take(Share(customers.Count, 8)).Select(row =>
        {
            var (cidade, estado) = Other(random, ShopVocabulary.Cities, city => city.Cidade == row.Cidade);
            return new CustomerWritten(row with { Cidade = cidade, Estado = estado, AtualizadoEm = Time() }, IsNew: false);
        }));
        changes.AddRange(customerPool.Take(Share(customers.Count, 3)).Select(row =>
            new CustomerWritten(row with { Email = Email(row.Nome, row.IdCliente, Other(random, EmailDomains, domain => row.Email.EndsWith(domain, StringComparison.Ordinal))), AtualizadoEm = Time() }, IsNew: false)));
        changes.AddRange(Enumerable.Range(lastCustomer + 1, Share(customers.Count, 5)).Select(id => new CustomerWritten(NewCustomer(random, id, Time()), IsNew: true)));

        var lastProduct = products.Max(row => row.IdProduto);
        var productPool = new Pool<Product>(random, products.Where(row => row.IdProduto != lastProduct));
        changes.AddRange(productPool.Take(Share(products.Count, 2)).Select(row => new ProductDeleted(row.IdProduto, Time())));
        changes.AddRange(productPool.Take(Share(products.Count, 10)).Select(row => new ProductWritten(row with { Preco = Repriced(random, row.Preco), AtualizadoEm = Time() }, IsNew: false)));
        changes.AddRange(productPool.Take(Share(products.Count, 5)).Select(row =>
            new ProductWritten(row with { Categoria = Other(random, ShopVocabulary.Categories, category => category.Categoria == row.Categoria).Categoria, AtualizadoEm = Time() }, IsNew: false)));
        changes.AddRange(Enumerable.Range(lastProduct + 1, Share(products.Count, 5)).Select(id => new ProductWritten(NewProduct(random, id, Time()), IsNew: true)));

        // Stable: two changes at the same second keep the order they were planned in.
        return new CatalogDay(day, customers, products, [.. changes.OrderBy(change => change.At)]);
    }

    private static Customer NewCustomer(Random random, int id, DateTime at)
    {
        var nome = $"{Pick(random, ShopVocabulary.FirstNames)} {Pick(random, ShopVocabulary.LastNames)}";
        var (cidade, estado) = Pick(random, ShopVocabulary.Cities);
        return new Customer(id, nome, Email(nome, id, Pick(random, EmailDomains)), cidade, estado, at, at);
    }

    private static Product NewProduct(Random random, int id, DateTime at)
    {
        var (categoria, itens, min, max) = Pick(random, ShopVocabulary.Categories);
        var preco = Math.Round(min + (max - min) * (decimal)random.NextDouble(), 0) - 0.10m;
        return new Product(id, $"{Pick(random, itens)} {(char)('A' + random.Next(26))}{random.Next(100, 1000)}", categoria, Math.Max(preco, min), at, at);
    }

    /// <summary>A new price from 80% to 125% of the old one, never the same.</summary>
    private static decimal Repriced(Random random, decimal preco)
    {
        var repriced = Math.Round(preco * (0.80m + 0.45m * (decimal)random.NextDouble()), 2);
        return repriced == preco ? preco + 1.00m : Math.Max(repriced, 0.99m);
    }

    private static string Email(string nome, int id, string domain)
    {
        var plain = nome.ToLowerInvariant().Replace(' ', '.')
            .Replace('á', 'a').Replace('é', 'e').Replace('í', 'i').Replace('ó', 'o').Replace('ô', 'o').Replace('ã', 'a').Replace('ú', 'u');
        return $"{plain}.{id}@{domain}";
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static T Other<T>(Random random, IReadOnlyList<T> values, Func<T, bool> isCurrent)
    {
        var others = values.Where(value => !isCurrent(value)).ToList();
        return others[random.Next(others.Count)];
    }

    /// <summary>Rows drawn without replacement: a row changes once a day at most.</summary>
    private sealed class Pool<T>(Random random, IEnumerable<T> rows)
    {
        private readonly List<T> _rows = [.. rows];

        public List<T> Take(int count)
        {
            var taken = new List<T>();
            while (taken.Count < count && _rows.Count > 0)
            {
                var index = random.Next(_rows.Count);
                taken.Add(_rows[index]);
                _rows.RemoveAt(index);
            }

            return taken;
        }
    }
}
