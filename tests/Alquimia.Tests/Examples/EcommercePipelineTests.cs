using Alquimia.Orchestration;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Examples;

/// <summary>
/// Seed 002's e-commerce example over two generated days, against the real test server: the gold KPIs equal the
/// figures computed from the landing files and the shop's own history in PostgreSQL; dm_customer and dm_product hold
/// each row's history as the tables went through it; the bad rows are warned in bronze and dropped in silver.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class EcommercePipelineTests(PostgresServer server, EcommerceTwoDays days) : IClassFixture<EcommerceTwoDays>
{
    /// <summary>The valid sales of the files: each order's latest line with a customer and a known status, and its items with a positive quantity and price.</summary>
    private const string SalesOfTheFiles = """
        WITH pedidos AS (
            SELECT * FROM pedidos_arquivo QUALIFY row_number() OVER (PARTITION BY id_pedido ORDER BY atualizado_em DESC) = 1
        ), itens AS (
            SELECT id_pedido, id_item, id_produto, TRY_CAST(quantidade AS INTEGER) AS quantidade, preco_unitario FROM itens_arquivo
        )
        SELECT p.id_pedido, i.id_item, p.id_cliente, i.id_produto, p.pedido_em, p.status, i.quantidade, i.preco_unitario, i.quantidade * i.preco_unitario AS valor
        FROM pedidos AS p JOIN itens AS i ON i.id_pedido = p.id_pedido
        WHERE p.id_cliente IS NOT NULL AND p.status IN ('pago', 'enviado', 'entregue', 'cancelado') AND i.quantidade > 0 AND i.preco_unitario > 0
        """;

    /// <summary>The sales with the customer's state and the product's category as the shop's tables had them when the order was placed.</summary>
    private const string SalesAtTheirMoment = $"""
        WITH vendas AS ({SalesOfTheFiles}),
        com_estado AS (
            SELECT v.*, c.estado FROM vendas AS v ASOF LEFT JOIN clientes_historico AS c ON c.id_cliente = v.id_cliente AND v.pedido_em >= c.atualizado_em
        )
        SELECT v.*, p.categoria, p.preco AS preco_de_tabela
        FROM com_estado AS v ASOF LEFT JOIN produtos_historico AS p ON p.id_produto = v.id_produto AND v.pedido_em >= p.atualizado_em
        """;

    [Fact]
    public async Task TheDailyKpis_AreTheRevenueAndOrdersOfTheFiles_LeavingOutBadRowsAndCancelledOrders()
    {
        var shop = (await days.ReadyAsync(server)).Shop;
        using var connection = shop.OpenOracle();

        var expected = WarehouseRows.Of(connection, $"""
            SELECT strftime(pedido_em, '%Y-%m-%d'), sum(valor), count(DISTINCT id_pedido) FROM ({SalesOfTheFiles})
            WHERE status <> 'cancelado' GROUP BY ALL ORDER BY 1
            """);
        var actual = WarehouseRows.Of(connection, "SELECT strftime(data_pedido, '%Y-%m-%d'), receita, pedidos FROM gold.kpi_vendas_diarias ORDER BY 1");

        Assert.Equal(["2026-01-01", "2026-01-02"], expected.Select(row => row.Split('|')[0]));
        Assert.Equal(expected, actual);
        Assert.Equal(["True"], WarehouseRows.Of(connection, "SELECT bool_and(abs(ticket_medio - receita / pedidos) <= 0.005) FROM gold.kpi_vendas_diarias"));
        // The second day cancelled some of the first day's orders: the first day's figures went down.
        Assert.True(days.SecondDay.StatusUpdates > 0);
        Assert.NotEqual(days.FirstRunDailyKpis[0], actual[0]);
        Assert.True(WarehouseRows.Of(connection, "SELECT count(*) FROM pedidos_arquivo WHERE status = 'cancelado'").Single() != "0", "the second day should cancel some orders");
    }

    [Fact]
    public async Task TheKpisByStateAndCategory_TakeTheCustomersStateAndTheProductsCategoryWhenTheOrderWasPlaced()
    {
        var shop = (await days.ReadyAsync(server)).Shop;
        using var connection = shop.OpenOracle();

        var byState = WarehouseRows.Of(connection, $"""
            SELECT strftime(pedido_em, '%Y-%m-%d'), estado, sum(valor), count(DISTINCT id_pedido) FROM ({SalesAtTheirMoment})
            WHERE status <> 'cancelado' GROUP BY ALL ORDER BY 1, 2
            """);
        var byCategory = WarehouseRows.Of(connection, $"""
            SELECT strftime(pedido_em, '%Y-%m-%d'), categoria, sum(valor), count(DISTINCT id_pedido) FROM ({SalesAtTheirMoment})
            WHERE status <> 'cancelado' GROUP BY ALL ORDER BY 1, 2
            """);

        Assert.Equal(byState, WarehouseRows.Of(connection, "SELECT strftime(data_pedido, '%Y-%m-%d'), estado, receita, pedidos FROM gold.kpi_vendas_por_estado ORDER BY 1, 2"));
        Assert.Equal(byCategory, WarehouseRows.Of(connection, "SELECT strftime(data_pedido, '%Y-%m-%d'), categoria, receita, pedidos FROM gold.kpi_vendas_por_categoria ORDER BY 1, 2"));
        Assert.DoesNotContain(byState.Concat(byCategory), row => row.Contains("|NULL|", StringComparison.Ordinal));
        // The test means something only if some sales were made under a state or category that has changed since.
        Assert.Equal(["True|True"], WarehouseRows.Of(connection, $"""
            WITH atual AS (SELECT id_cliente, estado FROM clientes_historico QUALIFY row_number() OVER (PARTITION BY id_cliente ORDER BY atualizado_em DESC) = 1),
                 categoria_atual AS (SELECT id_produto, categoria FROM produtos_historico QUALIFY row_number() OVER (PARTITION BY id_produto ORDER BY atualizado_em DESC) = 1)
            SELECT count(*) FILTER (WHERE v.estado <> a.estado) > 0, count(*) FILTER (WHERE v.categoria <> c.categoria) > 0
            FROM ({SalesAtTheirMoment}) AS v JOIN atual AS a USING (id_cliente) JOIN categoria_atual AS c USING (id_produto)
            """));
    }

    [Fact]
    public async Task EveryOrderItem_IsAtTheProductsPriceWhenTheOrderWasPlaced_AndTheFactKeepsIt()
    {
        var shop = (await days.ReadyAsync(server)).Shop;
        using var connection = shop.OpenOracle();

        Assert.Equal(["0"], WarehouseRows.Of(connection, $"SELECT count(*) FROM ({SalesAtTheirMoment}) WHERE preco_unitario IS DISTINCT FROM preco_de_tabela"));
        Assert.Equal(
            WarehouseRows.Of(connection, $"SELECT id_pedido, id_item, id_cliente, id_produto, preco_unitario, estado, categoria FROM ({SalesAtTheirMoment}) ORDER BY 1, 2"),
            WarehouseRows.Of(connection, "SELECT id_pedido, id_item, id_cliente, id_produto, preco_unitario, estado, categoria FROM gold.ft_vendas ORDER BY 1, 2"));
    }

    [Fact]
    public async Task DmCustomer_HoldsEveryVersionOfEachCustomer_AndItsCurrentVersionsAreThePostgresTable()
    {
        var two = await days.ReadyAsync(server);
        using var connection = two.Shop.OpenOracle();
        const string Row = "id_cliente, nome, email, cidade, estado, strftime(criado_em, '%Y-%m-%d %H:%M:%S'), strftime(atualizado_em, '%Y-%m-%d %H:%M:%S')";

        Assert.Equal(
            WarehouseRows.Of(connection, $"SELECT {Row} FROM clientes_historico ORDER BY id_cliente, atualizado_em"),
            WarehouseRows.Of(connection, $"SELECT {Row} FROM gold.dm_customer ORDER BY id_cliente, __START_AT"));
        Assert.Equal(
            two.Shop.Postgres("""
                SELECT concat_ws('|', id_cliente, nome, email, cidade, estado, to_char(criado_em, 'YYYY-MM-DD HH24:MI:SS'), to_char(atualizado_em, 'YYYY-MM-DD HH24:MI:SS'))
                FROM customers ORDER BY id_cliente
                """),
            WarehouseRows.Of(connection, $"SELECT {Row} FROM gold.dm_customer WHERE __END_AT IS NULL ORDER BY id_cliente"));
        // A customer changed on the second day has two versions, the first closed where the second starts; a deleted
        // one has its last version closed and none current.
        var (_, updated, deleted) = two.SecondDay.Customers;
        Assert.Equal([$"{updated}|{updated}"], WarehouseRows.Of(connection, """
            SELECT count(*), count(*) FILTER (WHERE primeira.__END_AT = segunda.__START_AT AND segunda.__END_AT IS NULL)
            FROM gold.dm_customer AS primeira JOIN gold.dm_customer AS segunda ON segunda.id_cliente = primeira.id_cliente AND segunda.__START_AT > primeira.__START_AT
            """));
        Assert.Equal([$"{deleted}|0"], WarehouseRows.Of(connection, """
            SELECT count(DISTINCT id_cliente), count(*) FILTER (WHERE __END_AT IS NULL)
            FROM gold.dm_customer WHERE id_cliente NOT IN (SELECT id_cliente FROM gold.dm_customer WHERE __END_AT IS NULL)
            """));
        Assert.True(updated > 0 && deleted > 0);
    }

    [Fact]
    public async Task DmProduct_HoldsEveryPriceAndCategoryOfEachProduct_AndItsCurrentVersionsAreThePostgresTable()
    {
        var two = await days.ReadyAsync(server);
        using var connection = two.Shop.OpenOracle();
        const string Row = "id_produto, nome, categoria, preco, strftime(atualizado_em, '%Y-%m-%d %H:%M:%S')";

        Assert.Equal(
            WarehouseRows.Of(connection, $"SELECT {Row} FROM produtos_historico ORDER BY id_produto, atualizado_em"),
            WarehouseRows.Of(connection, $"SELECT {Row} FROM gold.dm_product ORDER BY id_produto, __START_AT"));
        Assert.Equal(
            two.Shop.Postgres("SELECT concat_ws('|', id_produto, nome, categoria, preco, to_char(atualizado_em, 'YYYY-MM-DD HH24:MI:SS')) FROM products ORDER BY id_produto"),
            WarehouseRows.Of(connection, $"SELECT {Row} FROM gold.dm_product WHERE __END_AT IS NULL ORDER BY id_produto"));
        var (inserted, updated, deleted) = two.SecondDay.Products;
        Assert.Equal(
            [$"{two.FirstDay.Products.Inserted + inserted}|{updated}|{deleted}"],
            WarehouseRows.Of(connection, """
                SELECT count(DISTINCT id_produto), count(*) - count(DISTINCT id_produto), count(DISTINCT id_produto) - count(*) FILTER (WHERE __END_AT IS NULL)
                FROM gold.dm_product
                """));
    }

    [Fact]
    public async Task TheChangeFeeds_HoldTheFirstDaysSnapshot_ThenEachChangeOfTheSecondDay()
    {
        var two = await days.ReadyAsync(server);
        using var connection = two.Shop.OpenOracle();

        var (customersInserted, customersUpdated, customersDeleted) = two.SecondDay.Customers;
        var (productsInserted, productsUpdated, productsDeleted) = two.SecondDay.Products;
        Assert.Equal(
            [$"customers|delete|{customersDeleted}", $"customers|insert|{customersInserted}", $"customers|snapshot|{two.FirstDay.Customers.Inserted}", $"customers|update|{customersUpdated}",
             $"products|delete|{productsDeleted}", $"products|insert|{productsInserted}", $"products|snapshot|{two.FirstDay.Products.Inserted}", $"products|update|{productsUpdated}"],
            WarehouseRows.Of(connection, """
                SELECT 'customers', _op, count(*) FROM bronze.customers GROUP BY ALL
                UNION ALL SELECT 'products', _op, count(*) FROM bronze.products GROUP BY ALL
                ORDER BY ALL
                """));
    }

    [Fact]
    public async Task TheBadRows_AreKeptAndWarnedInBronze_DroppedInSilver_AndNeverReachGold()
    {
        var two = await days.ReadyAsync(server);
        using var connection = two.Shop.OpenOracle();

        // Bronze keeps every line of the files, the bad ones included.
        Assert.Equal(
            WarehouseRows.Of(connection, "SELECT (SELECT count(*) FROM pedidos_arquivo), (SELECT count(*) FROM itens_arquivo)"),
            WarehouseRows.Of(connection, "SELECT (SELECT count(*) FROM bronze.orders), (SELECT count(*) FROM bronze.order_items)"));
        Assert.Equal(["2|2|2|2"], WarehouseRows.Of(connection, """
            SELECT count(*) FILTER (WHERE status = 'extraviado'), count(*) FILTER (WHERE id_cliente IS NULL),
                   (SELECT count(*) FROM bronze.order_items WHERE quantidade = 0), (SELECT count(*) FROM bronze.order_items WHERE quantidade IS NULL AND (_rescued_data->>'quantidade') = 'duas')
            FROM bronze.orders
            """));
        // What each rule found in each run: the bad lines of the day's files, one of each defect. The watermark is
        // inclusive (docs/running.md), so the second run also reads the first day's last lines again (the order
        // without a customer and its item: the files are in id order, the bad orders last) and counts them again.
        var firstRun = Failures(connection, two.FirstRun);
        Assert.Equal(ExpectedFailures(connection, new DateOnly(2026, 1, 1)), firstRun);
        // The second build reads only the rows past the first one's last _ingestion_timestamp: no bad line is counted twice.
        Assert.Equal(ExpectedFailures(connection, new DateOnly(2026, 1, 2)), Failures(connection, two.SecondRun));
        Assert.Equal(10, firstRun.Count);
        // Silver and gold hold exactly the valid rows; gold's FAIL rules found nothing.
        Assert.Equal(
            WarehouseRows.Of(connection, $"SELECT count(DISTINCT id_pedido), count(*) FROM ({SalesOfTheFiles})"),
            WarehouseRows.Of(connection, "SELECT (SELECT count(*) FROM silver.tb_pedido), (SELECT count(*) FROM silver.tb_item_pedido)"));
        Assert.Equal(["0"], WarehouseRows.Of(connection, "SELECT count(*) FROM gold.ft_vendas WHERE id_cliente IS NULL OR quantidade <= 0 OR preco_unitario <= 0"));
        // The first run's models, as its summary reports them: rows dropped and rows warned.
        Assert.Equal((0L, 2L), Quality(two.FirstRun, "bronze.orders"));
        Assert.Equal((0L, 3L), Quality(two.FirstRun, "bronze.order_items"));
        Assert.Equal((2L, 0L), Quality(two.FirstRun, "silver.tb_pedido"));
        Assert.Equal((5L, 0L), Quality(two.FirstRun, "silver.tb_item_pedido"));
        Assert.Equal((0L, 0L), Quality(two.FirstRun, "gold.ft_vendas"));
    }

    /// <summary>Each rule that failed on some row in <paramref name="run"/>, as _alquimia.quality_results holds it: model, rule, action, rows.</summary>
    private static List<string> Failures(CheckedConnection connection, RunSummary run) => WarehouseRows.Of(connection, $"""
        SELECT model, rule, action, rows_failed FROM _alquimia.quality_results
        WHERE run_id = {SqlText.Literal(run.Run.RunId)} AND kind = 'expectation' AND rows_failed > 0 ORDER BY ALL
        """);

    /// <summary>
    /// What each rule should find in the build of <paramref name="day"/>: the bad lines of its files, each once.
    /// </summary>
    private static List<string> ExpectedFailures(CheckedConnection connection, DateOnly day)
    {
        var dia = $"DATE {SqlText.Literal(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))}";
        return WarehouseRows.Of(connection, $"""
            WITH pedidos AS (
                SELECT * FROM pedidos_arquivo
                WHERE dia = {dia}
            ), itens AS (
                SELECT *, TRY_CAST(quantidade AS INTEGER) AS qtd FROM itens_arquivo
                WHERE dia = {dia}
            ), pedidos_ruins AS (
                SELECT id_pedido FROM pedidos_arquivo WHERE id_cliente IS NULL OR status NOT IN ('pago', 'enviado', 'entregue', 'cancelado')
            )
            SELECT * FROM (VALUES
                ('bronze.order_items', 'preco_positivo', 'warn', (SELECT count(*) FROM itens WHERE preco_unitario <= 0)),
                ('bronze.order_items', 'quantidade_positiva', 'warn', (SELECT count(*) FROM itens WHERE qtd IS NULL OR qtd <= 0)),
                ('bronze.order_items', 'sem_dados_resgatados', 'warn', (SELECT count(*) FROM itens WHERE qtd IS NULL)),
                ('bronze.orders', 'cliente_presente', 'warn', (SELECT count(*) FROM pedidos WHERE id_cliente IS NULL)),
                ('bronze.orders', 'status_conhecido', 'warn', (SELECT count(*) FROM pedidos WHERE status NOT IN ('pago', 'enviado', 'entregue', 'cancelado'))),
                ('silver.tb_item_pedido', 'pedido_existe', 'drop', (SELECT count(*) FROM itens WHERE id_pedido IN (SELECT id_pedido FROM pedidos_ruins))),
                ('silver.tb_item_pedido', 'preco_positivo', 'drop', (SELECT count(*) FROM itens WHERE preco_unitario <= 0)),
                ('silver.tb_item_pedido', 'quantidade_positiva', 'drop', (SELECT count(*) FROM itens WHERE qtd IS NULL OR qtd <= 0)),
                ('silver.tb_pedido', 'cliente_presente', 'drop', (SELECT count(*) FROM pedidos WHERE id_cliente IS NULL)),
                ('silver.tb_pedido', 'status_valido', 'drop', (SELECT count(*) FROM pedidos WHERE status NOT IN ('pago', 'enviado', 'entregue', 'cancelado'))))
                AS expected(model, rule, action, rows_failed)
            WHERE rows_failed > 0
            ORDER BY ALL
            """);
    }

    /// <summary>A model's rows dropped and rows warned in a run.</summary>
    private static (long Dropped, long Warned) Quality(RunSummary run, string model)
    {
        var step = run.Steps.Single(step => step.Model == model);
        Assert.Equal(RunStatus.Succeeded, step.Status);
        var quality = step.Quality ?? throw new InvalidOperationException($"{model} has expectations, but its run recorded no quality outcome.");
        return (quality.RowsDropped, quality.RowsWarned);
    }
}
