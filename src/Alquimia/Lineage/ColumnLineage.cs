namespace Alquimia.Lineage;

/// <summary>One output column of a model and the input columns it derives from (DIRECT) or depends on (INDIRECT, per column).</summary>
public sealed record ColumnLineage(string Column, IReadOnlyList<ColumnSource> Sources);
