using Alquimia.Graph;

namespace Alquimia.Tests.Graph;

public sealed class SelectorTests : IDisposable
{
    private readonly PipelineProject _project = new();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Select_WithNothingSelectsEverything(string? selector)
    {
        Assert.Equal(10, _project.Selected(selector).Count);
    }

    [Fact]
    public void Select_ByQualifiedOrBareNameSelectsThatNode()
    {
        Assert.Equal(["silver.tb_chamado"], _project.Selected("silver.tb_chamado"));
        Assert.Equal(["silver.tb_chamado"], _project.Selected("tb_chamado"));
        Assert.Equal(["bronze.chamados"], _project.Selected("chamados"));
    }

    [Fact]
    public void Select_WithPlusBeforeAddsAncestors()
    {
        Assert.Equal(
            ["bronze.chamados", "bronze.clientes", "gold.dm_cliente", "gold.ft_chamado", "silver.tb_chamado", "silver.tb_cliente"],
            Sorted(_project.Selected("+ft_chamado")));
    }

    [Fact]
    public void Select_WithPlusAfterAddsDescendants()
    {
        Assert.Equal(["curated.vw_kpi", "gold.dm_cliente", "gold.ft_chamado", "silver.tb_cliente"], Sorted(_project.Selected("silver.tb_cliente+")));
    }

    [Fact]
    public void Select_WithPlusOnBothSidesAddsBoth()
    {
        Assert.Equal(["bronze.metas", "curated.vw_kpi", "gold.tb_meta", "silver.tb_meta"], Sorted(_project.Selected("+gold.tb_meta+")));
    }

    [Fact]
    public void Select_ByLayerTagAndSource()
    {
        Assert.Equal(["silver.tb_chamado", "silver.tb_cliente", "silver.tb_meta"], _project.Selected("layer:silver"));
        Assert.Equal(["curated.vw_kpi", "gold.ft_chamado", "silver.tb_meta"], Sorted(_project.Selected("tag:kpi")));
        Assert.Equal(["bronze.chamados", "bronze.clientes"], _project.Selected("source:postgres_public"));
    }

    [Fact]
    public void Select_WithSpacesIsAUnionAndWithACommaAnIntersection()
    {
        Assert.Equal(["bronze.metas", "curated.vw_kpi"], Sorted(_project.Selected("source:planilhas layer:curated")));
        Assert.Equal(["gold.ft_chamado"], _project.Selected("layer:gold,tag:kpi"));
        Assert.Equal(["gold.dm_cliente", "gold.ft_chamado"], Sorted(_project.Selected("+ft_chamado,layer:gold")));
    }

    [Fact]
    public void Select_KeepsEdgesBetweenSelectedNodes()
    {
        var graph = _project.Graph.Select("+gold.dm_cliente");

        var dm = graph.Find(new Alquimia.Projects.QualifiedName("gold", "dm_cliente"))!;
        Assert.Equal(["silver.tb_cliente"], graph.Dag.Upstream(dm).Select(node => node.Name.ToString()));
        Assert.Equal(3, graph.Levels.Count);
    }

    [Fact]
    public void Select_RejectsAnAmbiguousBareNameListingBoth()
    {
        var exception = Assert.Throws<SelectorException>(() => _project.Selected("tb_meta"));

        Assert.Contains("ambiguous", exception.Message, StringComparison.Ordinal);
        Assert.Contains("gold.tb_meta and silver.tb_meta", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tb_chamdo", "names no model or source table", "Did you mean 'silver.tb_chamado'?")]
    [InlineData("silver.tb_chamados", "names no model or source table", "Did you mean 'silver.tb_chamado'?")]
    [InlineData("layer:sliver", "the layer 'sliver', which does not exist", "Did you mean 'silver'?")]
    [InlineData("tag:kpis", "the tag 'kpis', which does not exist", "Did you mean 'kpi'?")]
    [InlineData("source:postgres", "the source 'postgres', which does not exist", "planilhas, postgres_public")]
    [InlineData("layr:gold", "the method 'layr', which does not exist", "Did you mean 'layer'?")]
    public void Select_RejectsUnknownNamesWithASuggestion(string selector, string problem, string hint)
    {
        var exception = Assert.Throws<SelectorException>(() => _project.Selected($"layer:gold {selector}"));

        Assert.Equal(selector, exception.Selector);
        Assert.Contains(problem, exception.Message, StringComparison.Ordinal);
        Assert.Contains(hint, exception.Message, StringComparison.Ordinal);
    }

    private static List<string> Sorted(List<string> names) => names.Order(StringComparer.Ordinal).ToList();

    public void Dispose() => _project.Dispose();
}
