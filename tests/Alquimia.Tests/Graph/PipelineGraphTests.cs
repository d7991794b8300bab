using Alquimia.Graph;

namespace Alquimia.Tests.Graph;

public sealed class PipelineGraphTests : IDisposable
{
    private readonly PipelineProject _project = new();

    [Fact]
    public void Graph_HasSourceTablesAndModelsAsNodesWithEdgesFromReferences()
    {
        var dag = _project.Graph.Dag;
        var ft = _project.Graph.Find(new Alquimia.Projects.QualifiedName("gold", "ft_chamado"))!;

        Assert.Equal(7, dag.Nodes.OfType<ModelNode>().Count());
        Assert.Equal(3, dag.Nodes.OfType<SourceTableNode>().Count());
        Assert.Equal(["gold.dm_cliente", "silver.tb_chamado"], dag.Upstream(ft).Select(node => node.Name.ToString()));
        var chamados = Assert.IsType<SourceTableNode>(_project.Graph.Find(new Alquimia.Projects.QualifiedName("bronze", "chamados")));
        Assert.Equal("postgres_public", chamados.Source.Name);
    }

    [Fact]
    public void Levels_GoBronzeSilverGoldDimensionsGoldFactsThenCurated()
    {
        var levels = _project.Graph.Levels.Select(level => level.Select(node => node.Name.ToString()).ToList()).ToList();

        Assert.Equal(
            [
                ["bronze.chamados", "bronze.clientes", "bronze.metas"],
                ["silver.tb_chamado", "silver.tb_cliente", "silver.tb_meta"],
                ["gold.dm_cliente", "gold.tb_meta"],
                ["gold.ft_chamado"],
                ["curated.vw_kpi"],
            ],
            levels);
    }

    [Fact]
    public void Levels_OfASelectionAreComputedInsideIt()
    {
        var levels = _project.Graph.Select("layer:gold").Levels;

        Assert.Equal(2, levels.Count);
        Assert.Equal(["gold.dm_cliente", "gold.tb_meta"], levels[0].Select(node => node.Name.ToString()));
        Assert.Equal(["gold.ft_chamado"], levels[1].Select(node => node.Name.ToString()));
    }

    public void Dispose() => _project.Dispose();
}
