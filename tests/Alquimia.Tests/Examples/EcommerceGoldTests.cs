using Alquimia.Orchestration;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Examples;

/// <summary>
/// Seed 002's gold FAIL rules in the e-commerce example: normal data passes them (EcommercePipelineTests), and an order
/// the shop's database cannot account for stops the fact, whose readers keep the run before's figures.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class EcommerceGoldTests(PostgresServer server) : IDisposable
{
    private const long StrayOrder = 2026010199999;

    private readonly EcommerceShop _shop = new(server);

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task AnOrderOfACustomerTheShopNeverHad_StopsTheGoldFact_AndTheKpisKeepTheRunBefore_UntilTheCustomerArrives()
    {
        _shop.GenerateFirstDay();
        _shop.SetUpChangeCapture();
        await _shop.RunSucceeding();
        const string Gold = """
            SELECT 'ft_vendas', count(*), sum(valor_item) FROM gold.ft_vendas
            UNION ALL SELECT 'kpi_vendas_diarias', pedidos, receita FROM gold.kpi_vendas_diarias
            UNION ALL SELECT 'kpi_vendas_por_estado', sum(pedidos), sum(receita) FROM gold.kpi_vendas_por_estado
            ORDER BY ALL
            """;
        var goldBefore = WarehouseRows.Of(_shop.Project.WarehousePath, Gold);
        // A day-one order, delivered late in a file of its own, of a customer id the shop's database never had.
        WriteLine("orders_raw",
            $$"""{"id_pedido": {{StrayOrder}}, "id_cliente": 999999, "pedido_em": "2026-01-01 12:00:00", "status": "pago", "forma_pagamento": "pix", "atualizado_em": "2026-01-01 12:00:00"}""");
        WriteLine("order_items_raw",
            $$"""{"id_pedido": {{StrayOrder}}, "id_item": 1, "id_produto": 1, "quantidade": 2, "preco_unitario": 10.00}""");

        var stopped = await Runs.RunAsync(_shop.Project, new RunOptions());

        var fact = stopped.Steps.Single(step => step.Model == "gold.ft_vendas");
        Assert.Equal(RunStatus.Failed, fact.Status);
        Assert.Contains("'cliente_existe' failed on 1 of", fact.Error, StringComparison.Ordinal);
        Assert.Contains($"e.g. {StrayOrder}", fact.Error, StringComparison.Ordinal);
        Assert.All(stopped.Steps.Where(step => step.Model.StartsWith("gold.kpi_", StringComparison.Ordinal)), step => Assert.Equal(RunStatus.Skipped, step.Status));
        // Silver took the order (its rules look at the row alone); gold kept what it had.
        Assert.Equal(["999999"], WarehouseRows.Of(_shop.Project.WarehousePath, $"SELECT id_cliente FROM silver.tb_pedido WHERE id_pedido = {StrayOrder}"));
        Assert.Equal(goldBefore, WarehouseRows.Of(_shop.Project.WarehousePath, Gold));
        Assert.Equal(
            ["gold.ft_vendas|cliente_existe|fail|1"],
            WarehouseRows.Of(_shop.Project.WarehousePath, $"""
                SELECT model, rule, action, rows_failed FROM _alquimia.quality_results
                WHERE run_id = '{stopped.Run.RunId}' AND model = 'gold.ft_vendas' AND rows_failed > 0
                """));

        // The customer is registered at the source (as the rule's message says to fix it): the next run publishes the order.
        PostgresServer.Execute(_shop.Database, "INSERT INTO customers VALUES (999999, 'Cliente Avulso', 'avulso@email.com.br', 'Recife', 'PE', '2025-12-31 08:00', '2025-12-31 08:00')");
        await _shop.RunSucceeding();

        Assert.Equal(
            [$"{StrayOrder}|999999|PE|20.00"],
            WarehouseRows.Of(_shop.Project.WarehousePath, $"SELECT id_pedido, id_cliente, estado, valor_item FROM gold.ft_vendas WHERE id_pedido = {StrayOrder}"));
        Assert.Equal(
            [decimal.Parse(goldBefore.Single(row => row.StartsWith("kpi_vendas_diarias|", StringComparison.Ordinal)).Split('|')[2], System.Globalization.CultureInfo.InvariantCulture) + 20.00m],
            WarehouseRows.Of(_shop.Project.WarehousePath, "SELECT receita FROM gold.kpi_vendas_diarias").Select(value => decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Drops a file of one line into the first day's landing folder of <paramref name="table"/>.</summary>
    private void WriteLine(string table, string line)
    {
        var path = Path.Combine(_shop.Project.LakePath, "landing", "pedidos", table, "ingestion_date=2026-01-01", "avulso.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, line + "\n");
    }
}
