using Alquimia.Graph;

namespace Alquimia.Tests.Graph;

public sealed class DagTests
{
    // a → b → d, a → c → d, e alone
    private static readonly Dag<string> Diamond = new(
        ["a", "b", "c", "d", "e"],
        [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]);

    [Fact]
    public void UpstreamAndDownstream_ListDirectNeighboursInNodeOrder()
    {
        Assert.Equal(["b", "c"], Diamond.Upstream("d"));
        Assert.Equal(["b", "c"], Diamond.Downstream("a"));
        Assert.Empty(Diamond.Upstream("a"));
    }

    [Fact]
    public void AncestorsAndDescendants_FollowEdgesAllTheWayWithoutTheNodeItself()
    {
        Assert.Equal(["a", "b", "c"], Diamond.Ancestors("d"));
        Assert.Equal(["b", "c", "d"], Diamond.Descendants("a"));
        Assert.Empty(Diamond.Descendants("e"));
    }

    [Fact]
    public void Levels_PutsANodeOneLevelAfterItsLatestUpstream()
    {
        var dag = new Dag<string>(["late", "a", "b"], [("a", "b"), ("b", "late"), ("a", "late")]);

        Assert.Equal([["a"], ["b"], ["late"]], dag.Levels());
        Assert.Equal([["a", "e"], ["b", "c"], ["d"]], Diamond.Levels());
    }

    [Fact]
    public void Subgraph_KeepsOnlyEdgesBetweenKeptNodesAndLevelsInsideIt()
    {
        var sub = Diamond.Subgraph(node => node != "a");

        Assert.Equal(["b", "c", "d", "e"], sub.Nodes);
        Assert.Empty(sub.Upstream("b"));
        Assert.Equal([["b", "c", "e"], ["d"]], sub.Levels());
    }

    [Fact]
    public void FindCycle_ReturnsThePathThatClosesTheCycle()
    {
        var dag = new Dag<string>(["x", "a", "b", "c"], [("x", "a"), ("a", "b"), ("b", "c"), ("c", "a")]);

        Assert.Equal(["a", "b", "c", "a"], dag.FindCycle());
        Assert.Null(Diamond.FindCycle());
    }

    [Fact]
    public void FindCycle_SeesASelfEdge()
    {
        Assert.Equal(["a", "a"], new Dag<string>(["a"], [("a", "a")]).FindCycle());
    }

    [Fact]
    public void Levels_ThrowsTheCycleWhenThereIsOne()
    {
        var dag = new Dag<string>(["a", "b"], [("a", "b"), ("b", "a")]);

        var exception = Assert.Throws<GraphCycleException>(() => dag.Levels());

        Assert.Equal(["a", "b", "a"], exception.Cycle);
        Assert.Contains("a → b → a", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsAnEdgeToANodeOutsideTheGraph()
    {
        Assert.Throws<ArgumentException>(() => new Dag<string>(["a"], [("a", "z")]));
    }
}
