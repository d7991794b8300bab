using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// Keeps an existing table's columns in step with its model's query: a new column is added (old rows NULL), a
/// column the query no longer returns stays (NULL from then on), and a column whose type changed fails the build.
/// </summary>
internal static class SchemaEvolution
{
    /// <summary>Adds the query's new columns to the target; returns the query's columns, which the build writes.</summary>
    public static List<ColumnInfo> Align(ModelBuild build, IReadOnlyList<ColumnInfo> queryColumns) => Align(build, queryColumns, out _);

    /// <inheritdoc cref="Align(ModelBuild, IReadOnlyList{ColumnInfo})"/>
    /// <param name="addedColumns">True when columns were added: every row of the table changed (NULL in them).</param>
    public static List<ColumnInfo> Align(ModelBuild build, IReadOnlyList<ColumnInfo> queryColumns, out bool addedColumns)
    {
        var targetColumns = build.TargetColumns.ToDictionary(column => column.Name, StringComparer.OrdinalIgnoreCase);
        var changed = queryColumns
            .Where(column => targetColumns.TryGetValue(column.Name, out var existing) && !SameType(existing.Type, column.Type))
            .Select(column => $"'{column.Name}' is {targetColumns[column.Name].Type} in {build.Target} but the query now returns {column.Type}")
            .ToList();
        if (changed.Count > 0)
        {
            throw new SchemaChangeException(
                $"Model '{build.Target}' changed the type of {(changed.Count == 1 ? "a column" : "columns")}: {string.Join("; ", changed)}. "
                + "Cast it back to the old type in the model, or rebuild the table with --full-refresh.");
        }

        var added = queryColumns.Where(column => !targetColumns.ContainsKey(column.Name)).ToList();
        addedColumns = added.Count > 0;
        foreach (var column in added)
        {
            build.Execute($"ALTER TABLE {build.Target.Sql} ADD COLUMN {SqlText.Identifier(column.Name)} {column.Type}");
        }

        return [.. queryColumns];
    }

    private static bool SameType(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
