namespace Alquimia.Lineage;

/// <summary>
/// How an input column shapes an output column, as OpenLineage's column-lineage facet names it
/// (ColumnLineageDatasetFacet 1-2-0, "transformations"): the first three are DIRECT (the value is derived from the
/// input's), the others INDIRECT (the input decides which rows there are, or which branch a value takes).
/// </summary>
public enum LineageSubtype
{
    /// <summary>DIRECT: the value is the input's, as it is (<c>SELECT id</c>, <c>SELECT c.id AS id_chamado</c>).</summary>
    Identity,

    /// <summary>DIRECT: the value is computed from the input's, row by row (<c>upper(nome)</c>, <c>CAST(x AS INT)</c>).</summary>
    Transformation,

    /// <summary>DIRECT: the value aggregates the input over several rows (<c>sum(valor)</c>, <c>count(*)</c>).</summary>
    Aggregation,

    /// <summary>INDIRECT: the input is in a join condition.</summary>
    Join,

    /// <summary>INDIRECT: the input is in a WHERE, HAVING, QUALIFY or an aggregate's FILTER, or a subquery that filters.</summary>
    Filter,

    /// <summary>INDIRECT: the rows are grouped by the input.</summary>
    GroupBy,

    /// <summary>INDIRECT: the rows are sorted by the input.</summary>
    Sort,

    /// <summary>INDIRECT: the input partitions or orders a window function.</summary>
    Window,

    /// <summary>INDIRECT: the input decides a CASE's branch.</summary>
    Conditional,
}
