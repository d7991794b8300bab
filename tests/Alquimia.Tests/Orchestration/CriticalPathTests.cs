using Alquimia.Graph;
using Alquimia.Orchestration;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Orchestration;

public sealed class CriticalPathTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public CriticalPathTests()
    {
        _folder
            .Write("alquimia.yml", "name: teste\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: clientes\n  - name: pedidos\n")
            .Write("models/silver/tb_cliente.sql", "SELECT * FROM bronze.clientes")
            .Write("models/silver/tb_pedido.sql", "SELECT * FROM bronze.pedidos")
            .Write("models/gold/ft_pedidos.sql", "SELECT count(*) AS pedidos FROM silver.tb_pedido");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Order_StartsTheLongestChainFirst_CountingStepsWhenNothingRanYet()
    {
        var order = CriticalPath.Order(new PipelineGraph(_folder.Load()), new Dictionary<string, TimeSpan>());

        Assert.Equal(["bronze.pedidos", "bronze.clientes", "silver.tb_pedido", "silver.tb_cliente", "gold.ft_pedidos"], order.Select(node => node.Name.ToString()));
    }

    [Fact]
    public void Order_WeighsEachStepByItsLastDuration()
    {
        var durations = new Dictionary<string, TimeSpan> { ["bronze.clientes"] = TimeSpan.FromSeconds(20), ["silver.tb_cliente"] = TimeSpan.FromSeconds(5) };

        var order = CriticalPath.Order(new PipelineGraph(_folder.Load()), durations);

        Assert.Equal(["bronze.clientes", "silver.tb_cliente", "bronze.pedidos", "silver.tb_pedido", "gold.ft_pedidos"], order.Select(node => node.Name.ToString()));
    }
}
