using Alquimia.Projects;

namespace Alquimia.Lineage;

/// <summary>
/// The column lineage of one model, from DuckDB's parse of its SQL: each output column's input columns, the inputs
/// that shape every row (joins, filters, grouping, sorting: OpenLineage's facet-level <c>dataset</c>), and what could
/// not be resolved, said rather than guessed.
/// </summary>
/// <param name="Columns">The output columns in the query's order; a column the analysis could not name is absent and said in <paramref name="Unresolved"/>.</param>
/// <param name="Dataset">INDIRECT inputs of the whole output: JOIN, FILTER, GROUP_BY, SORT.</param>
/// <param name="Unresolved">Sentences on what is not resolved: a <c>SELECT *</c> over a table whose columns are unknown, a table function.</param>
public sealed record ModelLineage(QualifiedName Model, IReadOnlyList<ColumnLineage> Columns, IReadOnlyList<ColumnSource> Dataset, IReadOnlyList<string> Unresolved)
{
    /// <summary>True when every output column is known by name (no <c>SELECT *</c> left unexpanded).</summary>
    public bool ColumnsComplete { get; init; } = true;

    /// <summary>The column named <paramref name="column"/> (case-insensitive, as DuckDB's names), or null.</summary>
    public ColumnLineage? Column(string column) =>
        Columns.FirstOrDefault(candidate => string.Equals(candidate.Column, column, StringComparison.OrdinalIgnoreCase));

    /// <summary>The tables the lineage names, inputs of a column or of the whole output.</summary>
    public IEnumerable<QualifiedName> InputDatasets =>
        Columns.SelectMany(column => column.Sources).Concat(Dataset).Select(source => source.Dataset).Distinct();
}
