namespace Alquimia.Graph;

/// <summary>The dependencies go round in a circle, so there is no order to run them in.</summary>
public sealed class GraphCycleException : AlquimiaException
{
    public GraphCycleException(IReadOnlyList<string> cycle)
        : base($"The dependencies form a cycle: {Describe(cycle)}. Remove one of these references.")
    {
        Cycle = cycle;
    }

    /// <summary>The cycle as a path whose last node is its first.</summary>
    public IReadOnlyList<string> Cycle { get; }

    /// <summary>The path as users read it: <c>silver.a → silver.b → silver.a</c>.</summary>
    public static string Describe(IEnumerable<string> cycle) => string.Join(" → ", cycle);
}
