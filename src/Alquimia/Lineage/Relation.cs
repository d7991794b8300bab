using Alquimia.Projects;

namespace Alquimia.Lineage;

/// <summary>A relation in a query's FROM, under the name the query binds it to (its alias, else its table's name).</summary>
internal abstract class Relation(string binding)
{
    public string Binding { get; } = binding;

    /// <summary>The columns, when all of them are known; else null (see <see cref="Open"/>).</summary>
    public abstract IReadOnlyList<string>? Columns { get; }

    /// <summary>True when the relation may have columns the analysis does not know of.</summary>
    public bool Open => Columns is null;

    /// <summary>The sources of column <paramref name="name"/>; null when the relation has no such column.</summary>
    public abstract List<ColumnSource>? Resolve(string name);

    /// <summary>True when the relation is known to have column <paramref name="name"/> (an open one may have it too).</summary>
    public virtual bool HasColumn(string name) => Columns?.Contains(name, StringComparer.OrdinalIgnoreCase) == true;

    /// <summary>The INDIRECT inputs of the relation's rows (a CTE's filters, say): they shape the query reading it too.</summary>
    public virtual IReadOnlyList<ColumnSource> Rows => [];
}

/// <summary>
/// A table or view of the warehouse: each column is its own source, by identity. Its columns are unknown (null) when
/// neither the warehouse nor the project knows them; <paramref name="renamed"/> are <c>FROM t AS x(a, b)</c>'s names.
/// </summary>
internal sealed class TableRelation(string binding, QualifiedName table, IReadOnlyList<string>? columns, IReadOnlyList<string>? renamed = null) : Relation(binding)
{
    public QualifiedName Table { get; } = table;

    public override IReadOnlyList<string>? Columns =>
        columns is null ? null : renamed is { Count: > 0 } ? [.. renamed, .. columns.Skip(renamed.Count)] : columns;

    public override List<ColumnSource>? Resolve(string name)
    {
        if (renamed is { Count: > 0 } && renamed.ToList().FindIndex(alias => string.Equals(alias, name, StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
        {
            // Without the table's columns, which one an alias renames is unknown.
            return columns is not null && index < columns.Count ? [new ColumnSource(Table, columns[index], ColumnTransformation.Identity)] : [];
        }

        var column = columns is null ? name : columns.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
        return column is null ? null : [new ColumnSource(Table, column, ColumnTransformation.Identity)];
    }
}

/// <summary>A CTE or a subquery in FROM: its columns are the query's, each with the query's sources.</summary>
internal sealed class DerivedRelation(string binding, QueryShape shape, IReadOnlyList<string>? renamed = null) : Relation(binding)
{
    public override IReadOnlyList<string>? Columns =>
        shape.OpenStars.Count > 0 || shape.Columns.Any(column => column.Name is null) ? null
        : renamed is { Count: > 0 } ? [.. renamed, .. shape.Columns.Skip(renamed.Count).Select(column => column.Name!)]
        : [.. shape.Columns.Select(column => column.Name!)];

    public override IReadOnlyList<ColumnSource> Rows => shape.Rows;

    public override bool HasColumn(string name) =>
        base.HasColumn(name) || renamed?.Contains(name, StringComparer.OrdinalIgnoreCase) == true
        || shape.Columns.Any(column => string.Equals(column.Name, name, StringComparison.OrdinalIgnoreCase));

    public override List<ColumnSource>? Resolve(string name)
    {
        if (renamed is { Count: > 0 })
        {
            var index = renamed.ToList().FindIndex(alias => string.Equals(alias, name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index < shape.Columns.Count ? shape.Columns[index].Sources : null;
            }
        }

        return shape.Resolve(name);
    }
}

/// <summary>A relation with no dataset to name (a table function, a file read by path): its columns have no lineage.</summary>
internal sealed class OpaqueRelation(string binding) : Relation(binding)
{
    public override IReadOnlyList<string>? Columns => null;

    public override List<ColumnSource>? Resolve(string name) => [];
}
