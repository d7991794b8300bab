using Alquimia.Graph;
using Alquimia.Projects;
using Alquimia.Projects.Loading;

namespace Alquimia.Lineage;

/// <summary>
/// Where a table or a column comes from (upstream, down to the source tables) and where it goes (downstream), over a
/// <see cref="ProjectLineage"/>: <c>alquimia lineage layer.table[.column]</c>.
/// </summary>
public sealed class LineageTrace(ProjectLineage lineage)
{
    /// <summary>
    /// The table and optional column <paramref name="text"/> names (<c>layer.table</c> or <c>layer.table.column</c>).
    /// </summary>
    /// <exception cref="SelectorException">It names no model or source table of the project, or no column of it; the message suggests the closest.</exception>
    public (QualifiedName Table, string? Column) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        if (parts.Length is < 2 or > 3 || parts.Any(part => part.Length == 0))
        {
            throw new SelectorException(text, $"'{text}' is not a table or a column: write layer.table (silver.tb_chamado) or layer.table.column (silver.tb_chamado.status).");
        }

        var table = new QualifiedName(parts[0], parts[1]);
        var tables = lineage.Project.Models.Select(model => model.Name).Concat(lineage.Project.SourceTables.Select(pair => pair.Table.BronzeName)).ToList();
        if (!tables.Contains(table))
        {
            throw new SelectorException(text,
                $"'{table}' is neither a model nor a source table of project '{lineage.Project.Name}'.{Suggestions.DidYouMean(table.ToString(), tables.Select(name => name.ToString()))} "
                + "`alquimia ls` lists them.");
        }

        if (parts.Length == 2)
        {
            return (table, null);
        }

        var column = parts[2];
        var columns = lineage.ColumnsOf(table);
        if (columns is not null && !columns.Contains(column, StringComparer.OrdinalIgnoreCase))
        {
            throw new SelectorException(text,
                $"'{table}' has no column '{column}'.{Suggestions.DidYouMean(column, columns)} Its columns are: {string.Join(", ", columns)}.");
        }

        return (table, columns?.FirstOrDefault(name => string.Equals(name, column, StringComparison.OrdinalIgnoreCase)) ?? column.ToLowerInvariant());
    }

    /// <summary>Where <paramref name="table"/> (or its <paramref name="column"/>) comes from, recursively down to the source tables.</summary>
    public LineageTreeNode Upstream(QualifiedName table, string? column) => Up(table, column, null, []);

    /// <summary>Where <paramref name="table"/> (or its <paramref name="column"/>) goes: the models reading it, recursively.</summary>
    public LineageTreeNode Downstream(QualifiedName table, string? column) => Down(table, column, null, []);

    private LineageTreeNode Up(QualifiedName table, string? column, string? how, HashSet<string> path)
    {
        var name = column is null ? table.ToString() : $"{table}.{column}";
        var children = new List<LineageTreeNode>();
        if (path.Add(name))
        {
            var model = lineage.Project.FindModel(table);
            if (model is not null && column is null)
            {
                children.AddRange(model.References.Order(Comparer<QualifiedName>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())))
                    .Select(reference => Up(reference, null, null, path)));
            }
            else if (model is not null && lineage.Models[table].Column(column!) is { } lineageOfColumn)
            {
                children.AddRange(lineageOfColumn.Sources
                    .GroupBy(source => (source.Dataset, source.Column))
                    .Select(group => Up(group.Key.Dataset, group.Key.Column, string.Join(", ", group.Select(source => source.Transformation)), path)));
            }

            path.Remove(name);
        }

        return new LineageTreeNode(name, KindOf(table), how, children);
    }

    private LineageTreeNode Down(QualifiedName table, string? column, string? how, HashSet<string> path)
    {
        var name = column is null ? table.ToString() : $"{table}.{column}";
        var children = new List<LineageTreeNode>();
        if (path.Add(name))
        {
            foreach (var model in lineage.Project.Models.OrderBy(model => model.Name.ToString(), StringComparer.Ordinal))
            {
                if (column is null)
                {
                    if (model.References.Contains(table))
                    {
                        children.Add(Down(model.Name, null, null, path));
                    }

                    continue;
                }

                var modelLineage = lineage.Models[model.Name];
                foreach (var output in modelLineage.Columns)
                {
                    var reads = output.Sources.Where(source => Reads(source, table, column)).ToList();
                    if (reads.Count > 0)
                    {
                        children.Add(Down(model.Name, output.Column, string.Join(", ", reads.Select(source => source.Transformation).Distinct()), path));
                    }
                }

                var rows = modelLineage.Dataset.Where(source => Reads(source, table, column)).Select(source => source.Transformation).Distinct().ToList();
                if (rows.Count > 0)
                {
                    // Not a column of it: which rows the model has.
                    children.Add(new LineageTreeNode(model.Name.ToString(), KindOf(model.Name), $"{string.Join(", ", rows)} of its rows", []));
                }
            }

            path.Remove(name);
        }

        return new LineageTreeNode(name, KindOf(table), how, children);
    }

    private static bool Reads(ColumnSource source, QualifiedName table, string column) =>
        source.Dataset == table && string.Equals(source.Column, column, StringComparison.OrdinalIgnoreCase);

    private string KindOf(QualifiedName table) =>
        lineage.Project.FindModel(table) is { } model ? $"model {model.Config.Materialized.ConfigName()}"
        : lineage.SourceOf(table) is var (source, sourceTable) ? $"source {source.Name}.{sourceTable.Name}"
        : "table";
}
