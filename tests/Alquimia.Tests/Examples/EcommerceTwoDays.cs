using Alquimia.Examples.Ecommerce;
using Alquimia.Orchestration;
using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Orchestration;

namespace Alquimia.Tests.Examples;

/// <summary>
/// The README's walk through seed 002's example, done once for a test class: generate the first day, <c>alquimia cdc
/// setup</c>, run, generate the next day, run. The class's tests read what it left.
/// </summary>
public sealed class EcommerceTwoDays : IDisposable
{
    private EcommerceShop? _shop;

    internal EcommerceShop Shop => _shop ?? throw new InvalidOperationException("Call ReadyAsync first.");

    public EcommerceGeneration FirstDay { get; private set; } = null!;

    public EcommerceGeneration SecondDay { get; private set; } = null!;

    public RunSummary FirstRun { get; private set; } = null!;

    public RunSummary SecondRun { get; private set; } = null!;

    /// <summary>gold.kpi_vendas_diarias after the first run: day, revenue, orders.</summary>
    public List<string> FirstRunDailyKpis { get; private set; } = null!;

    /// <summary>Walks the two days on the first call (the server is the test collection's, which a class fixture cannot take).</summary>
    internal async Task<EcommerceTwoDays> ReadyAsync(PostgresServer server)
    {
        if (_shop is not null)
        {
            return this;
        }

        _shop = new EcommerceShop(server);
        FirstDay = _shop.GenerateFirstDay();
        _shop.SetUpChangeCapture();
        FirstRun = await _shop.RunSucceeding();
        FirstRunDailyKpis = WarehouseRows.Of(_shop.Project.WarehousePath, "SELECT strftime(data_pedido, '%Y-%m-%d'), receita, pedidos FROM gold.kpi_vendas_diarias ORDER BY 1");
        SecondDay = _shop.GenerateNextDay();
        SecondRun = await _shop.RunSucceeding();
        return this;
    }

    public void Dispose() => _shop?.Dispose();
}
