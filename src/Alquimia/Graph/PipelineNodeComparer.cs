namespace Alquimia.Graph;

/// <summary>Pipeline nodes are the same step when they write the same relation; their contents need not be compared.</summary>
internal sealed class PipelineNodeComparer : IEqualityComparer<PipelineNode>
{
    public static readonly PipelineNodeComparer Instance = new();

    public bool Equals(PipelineNode? x, PipelineNode? y) => x?.Name == y?.Name;

    public int GetHashCode(PipelineNode obj) => obj.Name.GetHashCode();
}
