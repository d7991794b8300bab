namespace Alquimia.Lineage;

/// <summary>One node of <c>alquimia lineage</c>'s tree: a table or a column, how it relates to its parent, and what follows it.</summary>
/// <param name="Name">The table (<c>silver.tb_chamado</c>) or column (<c>silver.tb_chamado.id_chamado</c>).</param>
/// <param name="Kind">What it is: a model's materialization (<c>model incremental</c>), <c>source postgres_public.chamados</c>, or <c>table</c>.</param>
/// <param name="How">How the parent and this node relate (<c>DIRECT TRANSFORMATION</c>, <c>INDIRECT FILTER</c>); null at the root and between tables.</param>
public sealed record LineageTreeNode(string Name, string Kind, string? How, IReadOnlyList<LineageTreeNode> Children);
