using Alquimia.Projects;

namespace Alquimia.Graph;

/// <summary>The build of a model into <c>&lt;layer&gt;.&lt;name&gt;</c>.</summary>
public sealed record ModelNode(ModelDefinition Model) : PipelineNode(Model.Name)
{
    public override string ToString() => Name.ToString();
}
