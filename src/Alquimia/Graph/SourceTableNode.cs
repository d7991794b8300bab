using Alquimia.Projects;

namespace Alquimia.Graph;

/// <summary>The ingestion of a source table: its landing files appended to <c>bronze.&lt;table&gt;</c>.</summary>
public sealed record SourceTableNode(SourceDefinition Source, SourceTable Table) : PipelineNode(Table.BronzeName)
{
    public override string ToString() => Name.ToString();
}
