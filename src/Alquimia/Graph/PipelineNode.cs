using Alquimia.Projects;

namespace Alquimia.Graph;

/// <summary>One step of a pipeline: a source table ingested into bronze, or a model built from its references.</summary>
/// <param name="Name">The relation the step writes (<c>bronze.chamados</c>, <c>silver.tb_chamado</c>); unique in a project.</param>
public abstract record PipelineNode(QualifiedName Name)
{
    public override string ToString() => Name.ToString();
}
