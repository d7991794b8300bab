namespace Alquimia.Lineage;

/// <summary>
/// What the analysis knows of a query, a CTE or a subquery: its output columns with their sources, the relations a
/// <c>*</c> could not be expanded over (their columns unknown), and the INDIRECT inputs of its rows.
/// </summary>
internal sealed class QueryShape
{
    /// <summary>The output columns in order; a name is null when the expression has no alias and is not a column.</summary>
    public List<(string? Name, List<ColumnSource> Sources)> Columns { get; } = [];

    /// <summary>Relations a <c>*</c> read whose columns are unknown: the query has more columns than <see cref="Columns"/>.</summary>
    public List<Relation> OpenStars { get; } = [];

    /// <summary>The INDIRECT inputs (JOIN, FILTER, GROUP_BY, SORT) of the rows the query returns.</summary>
    public List<ColumnSource> Rows { get; } = [];

    /// <summary>The sources of the output column <paramref name="name"/>; through the one unexpanded <c>*</c> when it is not named.</summary>
    public List<ColumnSource>? Resolve(string name)
    {
        foreach (var (column, sources) in Columns)
        {
            if (string.Equals(column, name, StringComparison.OrdinalIgnoreCase))
            {
                return sources;
            }
        }

        return OpenStars.Count == 1 ? OpenStars[0].Resolve(name) : null;
    }
}
