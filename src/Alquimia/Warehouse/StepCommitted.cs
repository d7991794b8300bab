using Alquimia.Projects;

namespace Alquimia.Warehouse;

/// <summary>A step committed new data into <paramref name="Relation"/> in run <paramref name="RunId"/>: what a cache of it holds is stale.</summary>
public sealed record StepCommitted(QualifiedName Relation, string RunId);
