namespace Alquimia.Lineage;

/// <summary>The names a query's expressions see: the relations of its FROM, its select list's aliases, and the enclosing query's.</summary>
internal sealed class Scope(Scope? parent)
{
    public List<Relation> Relations { get; } = [];

    /// <summary>The select list's aliases, visible in WHERE, GROUP BY, HAVING, QUALIFY and ORDER BY (DuckDB allows it).</summary>
    public Dictionary<string, List<ColumnSource>> Aliases { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The parameters of the lambdas being walked (<c>x -> x + 1</c>): names that are no column.</summary>
    public HashSet<string> LambdaParameters { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Scope? Parent { get; } = parent;

    /// <summary>True while the select list is walked, where a relation's column is preferred to an alias of the same name.</summary>
    public bool InSelectList { get; set; }

    public Relation? Find(string binding) =>
        Relations.FirstOrDefault(relation => string.Equals(relation.Binding, binding, StringComparison.OrdinalIgnoreCase)) ?? Parent?.Find(binding);

    /// <summary>
    /// The sources of an unqualified column: the one relation that has it by name; else a select alias; else the one
    /// relation whose columns are unknown; else the enclosing query's. Null when it cannot be told, with
    /// <paramref name="ambiguous"/> naming the relations it could belong to.
    /// </summary>
    public List<ColumnSource>? Resolve(string name, out string? ambiguous)
    {
        ambiguous = null;
        if (LambdaParameters.Contains(name))
        {
            return [];
        }

        var known = Relations.Where(relation => relation.HasColumn(name)).ToList();
        if (known.Count > 0)
        {
            // Several only with JOIN … USING (DuckDB refuses an ambiguous name otherwise): the first side's.
            return known[0].Resolve(name);
        }

        var open = Relations.Where(relation => relation.Open).ToList();
        if (InSelectList && open.Count == 1)
        {
            // In the select list a table's column wins over an earlier item's alias; with the columns unknown, the
            // name is taken as the table's.
            return open[0].Resolve(name);
        }

        if (Aliases.TryGetValue(name, out var aliased))
        {
            return aliased;
        }

        if (open.Count == 1)
        {
            return open[0].Resolve(name);
        }

        if (open.Count > 1)
        {
            ambiguous = string.Join(" or ", open.Select(relation => relation.Binding));
            return null;
        }

        return Parent?.Resolve(name, out ambiguous);
    }
}
