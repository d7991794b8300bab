using Alquimia.Projects;

namespace Alquimia.Lineage;

/// <summary>An input column (a table's, never a CTE's or a subquery's) and how it shapes an output.</summary>
/// <param name="Dataset">The table or view read, as <c>layer.name</c>.</param>
public sealed record ColumnSource(QualifiedName Dataset, string Column, ColumnTransformation Transformation)
{
    public override string ToString() => $"{Dataset}.{Column} ({Transformation})";
}
