using System.Globalization;
using System.Text.RegularExpressions;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// Compares a batch of landing files' columns with bronze's and evolves bronze by the source's
/// <see cref="SourceDefinition.SchemaEvolution"/>, in the step's transaction (docs/projects.md, "Schema evolution").
/// </summary>
/// <remarks>
/// A column missing from the files stays in bronze and is NULL in the new rows, whatever the policy. Parquet columns
/// (a PostgreSQL source's, say) carry their types: a type that bronze's can be widened to without losing a value is
/// applied with ALTER COLUMN, any other change fails naming the column and both types. CSV and JSON types are guessed
/// per file, so they never change bronze: a value that does not fit its column goes to <see cref="RescuedData"/>.
/// </remarks>
internal static partial class BronzeSchema
{
    /// <summary>The bronze column of a CSV or JSON source holding, as a JSON object, the values that did not fit their column.</summary>
    public const string RescuedData = "_rescued_data";

    /// <summary>
    /// Refuses a source table whose columns bronze cannot hold as they are, naming the table, the column and the fix:
    /// a column named like one bronze adds (<c>_ingestion_timestamp</c>, <c>_batch_id</c>, <c>_source</c>,
    /// <c>_source_file</c>, and <c>_rescued_data</c> for CSV and JSON), or two columns whose names differ only in case,
    /// which DuckDB cannot tell apart (PostgreSQL's <c>"Nome"</c> and <c>nome</c>).
    /// </summary>
    public static void CheckColumnNames(SourceDefinition source, SourceTable table, IEnumerable<string> columns)
    {
        List<string> names = [.. columns];
        var reserved = LandingLoader.MetadataColumns.Select(column => column.Name).Concat(TypesInferred(source.Format) ? [RescuedData] : []);
        if (names.FirstOrDefault(name => reserved.Contains(name, StringComparer.OrdinalIgnoreCase)) is { } taken)
        {
            throw new AlquimiaException(
                $"Table '{table.Name}' of source '{source.Name}' has a column named {taken}, a name bronze gives its own column, so the table cannot "
                + $"be loaded. Rename the column at the source (or sync a view that renames it), e.g. {taken.TrimStart('_')}_origem.");
        }

        if (names.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1) is { } clash)
        {
            throw new AlquimiaException(
                $"Table '{table.Name}' of source '{source.Name}' has columns {string.Join(" and ", clash.Select(name => $"\"{name}\""))}, whose names differ "
                + "only in case: DuckDB cannot tell them apart, so the table cannot be loaded. Rename one at the source (or sync a view that renames it).");
        }
    }

    /// <summary>True when the format's column types are guessed from each file's values.</summary>
    public static bool TypesInferred(LandingFormat format) => format is LandingFormat.Csv or LandingFormat.Json;

    /// <summary>
    /// Evolves bronze, which exists, to take <paramref name="incoming"/>; returns bronze's columns afterwards, by name
    /// (case-insensitive, as DuckDB's), with their types. Under <see cref="SchemaEvolution.Ignore"/> a new column is
    /// left out of it.
    /// </summary>
    public static Dictionary<string, string> Evolve(
        CheckedConnection connection, SourceDefinition source, SourceTable table, IReadOnlyList<ColumnInfo> incoming, CancellationToken cancellationToken)
    {
        var bronze = table.BronzeName;
        var columns = RelationCatalog.Columns(connection, bronze, cancellationToken).ToDictionary(column => column.Name, column => column.Type, StringComparer.OrdinalIgnoreCase);
        if (TypesInferred(source.Format) && !columns.ContainsKey(RescuedData))
        {
            // A bronze table created before rescued data existed.
            connection.Execute($"ALTER TABLE {bronze.Sql} ADD COLUMN {SqlText.Identifier(RescuedData)} VARCHAR", cancellationToken);
            columns[RescuedData] = "VARCHAR";
        }

        if (!columns.ContainsKey(LandingRows.SourceFileColumn))
        {
            // A bronze table created before each row named its file: its older rows have none.
            connection.Execute($"ALTER TABLE {bronze.Sql} ADD COLUMN {SqlText.Identifier(LandingRows.SourceFileColumn)} VARCHAR", cancellationToken);
            columns[LandingRows.SourceFileColumn] = "VARCHAR";
        }

        var added = incoming.Where(column => !columns.ContainsKey(column.Name)).ToList();
        var changed = TypesInferred(source.Format)
            ? []
            : incoming
                .Where(column => columns.TryGetValue(column.Name, out var type) && !SameType(type, column.Type) && !Pinned(table, column, type))
                .Select(column => new TypeChange(column.Name, columns[column.Name], column.Type))
                .ToList();
        if (source.SchemaEvolution == SchemaEvolution.Fail && (added.Count > 0 || changed.Count > 0))
        {
            throw Refused(source, table, added, changed);
        }

        if (changed.FirstOrDefault(change => !Widens(change.BronzeType, change.IncomingType)) is { } narrowed)
        {
            throw Narrowed(source, table, narrowed);
        }

        foreach (var change in changed)
        {
            connection.Execute($"ALTER TABLE {bronze.Sql} ALTER COLUMN {SqlText.Identifier(change.Column)} TYPE {change.IncomingType}", cancellationToken);
            columns[change.Column] = change.IncomingType;
        }

        if (source.SchemaEvolution == SchemaEvolution.AddColumns)
        {
            foreach (var column in added)
            {
                connection.Execute($"ALTER TABLE {bronze.Sql} ADD COLUMN {SqlText.Identifier(column.Name)} {column.Type}", cancellationToken);
                columns[column.Name] = column.Type;
            }
        }

        return columns;
    }

    /// <summary>
    /// True when every value of type <paramref name="from"/> converts to <paramref name="to"/> exactly: a wider integer,
    /// a float from a small enough integer, a DECIMAL with as many integer digits and as much scale, DOUBLE from FLOAT.
    /// Text is not a widening: a number column turned VARCHAR would change what every query downstream does with it.
    /// </summary>
    public static bool Widens(string from, string to)
    {
        from = from.ToUpperInvariant();
        to = to.ToUpperInvariant();
        if (from == to)
        {
            return true;
        }

        if (Integer(from) is { } source)
        {
            if (Integer(to) is { } target)
            {
                return source.Signed == target.Signed ? target.Bits >= source.Bits : target.Signed && target.Bits > source.Bits;
            }

            return Decimal(to) is { } decimalTarget
                ? decimalTarget.Precision - decimalTarget.Scale >= source.Digits
                : (to == "FLOAT" && source.Bits <= 16) || (to == "DOUBLE" && source.Bits <= 32);
        }

        if (Decimal(from) is { } decimalSource && Decimal(to) is { } wider)
        {
            return wider.Precision - wider.Scale >= decimalSource.Precision - decimalSource.Scale && wider.Scale >= decimalSource.Scale;
        }

        return from == "FLOAT" && to == "DOUBLE";
    }

    /// <summary>True for the integer types, whose text a cast to them would round (DuckDB casts '1.5' to 2).</summary>
    public static bool IsExactNumber(string type) => Integer(type.ToUpperInvariant()) is not null || Decimal(type.ToUpperInvariant()) is not null;

    private static bool SameType(string bronze, string incoming) => string.Equals(bronze, incoming, StringComparison.OrdinalIgnoreCase);

    /// <summary>A column declared in the source file keeps its declared type: a narrower incoming type that fits it is no change.</summary>
    private static bool Pinned(SourceTable table, ColumnInfo incoming, string bronzeType) =>
        table.Columns.Any(column => string.Equals(column.Name, incoming.Name, StringComparison.OrdinalIgnoreCase)) && Widens(incoming.Type, bronzeType);

    private static AlquimiaException Refused(SourceDefinition source, SourceTable table, List<ColumnInfo> added, List<TypeChange> changed)
    {
        var changes = new List<string>();
        if (added.Count > 0)
        {
            changes.Add((added.Count == 1 ? "a new column " : "new columns ") + string.Join(", ", added.Select(column => $"'{column.Name}' ({column.Type})")));
        }

        changes.AddRange(changed.Select(change => $"column '{change.Column}' as {change.IncomingType} where bronze has {change.BronzeType}"));
        return new AlquimiaException(
            $"Source '{source.Name}', table {table.BronzeName}: the landing files bring {string.Join(" and ", changes)}, and {Path.GetFileName(source.FilePath)} "
            + "says schema_evolution: fail. Nothing was loaded; the files stay pending. To take the change, set schema_evolution: add_columns; "
            + "to load them without new columns, set schema_evolution: ignore; or undo the change in the source.");
    }

    private static AlquimiaException Narrowed(SourceDefinition source, SourceTable table, TypeChange change)
    {
        var fix = Widens(change.IncomingType, change.BronzeType)
            ? $"Restore the column's type in the source, or, to keep loading it into the wider type, declare it in {Path.GetFileName(source.FilePath)} "
              + $"(columns: - {{name: {change.Column}, type: {change.BronzeType}}})."
            : $"Restore the column's type in the source, or convert bronze's column yourself (ALTER TABLE {table.BronzeName} ALTER COLUMN "
              + $"{SqlText.Identifier(change.Column)} TYPE {change.IncomingType}) once you know its old values convert.";
        return new AlquimiaException(
            $"Source '{source.Name}', table {table.BronzeName}: column '{change.Column}' changed type from {change.BronzeType} (bronze) to {change.IncomingType} "
            + $"(landing), which bronze cannot be widened to without losing values. Nothing was loaded; the files stay pending. {fix}");
    }

    private static (int Bits, bool Signed, int Digits)? Integer(string type) => type switch
    {
        "TINYINT" => (8, true, 3),
        "SMALLINT" => (16, true, 5),
        "INTEGER" => (32, true, 10),
        "BIGINT" => (64, true, 19),
        "HUGEINT" => (128, true, 39),
        "UTINYINT" => (8, false, 3),
        "USMALLINT" => (16, false, 5),
        "UINTEGER" => (32, false, 10),
        "UBIGINT" => (64, false, 20),
        "UHUGEINT" => (128, false, 39),
        _ => null,
    };

    private static (int Precision, int Scale)? Decimal(string type) =>
        DecimalType().Match(type) is { Success: true } match
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*(\d+)\)$")]
    private static partial Regex DecimalType();

    private sealed record TypeChange(string Column, string BronzeType, string IncomingType);
}
