using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// What is already landed of a database table: bronze without its metadata columns, and the Parquet files landed but
/// not yet loaded (a sync that failed or crashed before its commit left them, and the next one loads them).
/// </summary>
internal sealed class LandedRows
{
    /// <summary>The column of <see cref="Versions"/> that orders a row's versions: the higher, the later it landed.</summary>
    public const string VersionColumn = "__alquimia_version";

    private LandedRows(IReadOnlyList<string> relations, IReadOnlyList<string> versions)
    {
        Relations = relations;
        VersionRelations = versions;
    }

    /// <summary>Each relation holding landed rows, as a FROM item with the source's columns only.</summary>
    public IReadOnlyList<string> Relations { get; }

    /// <summary>True when nothing is landed yet.</summary>
    public bool IsEmpty => Relations.Count == 0;

    /// <summary>True when files are landed that bronze has not taken.</summary>
    public bool HasPendingFiles { get; private init; }

    /// <summary>Every landed row, their columns united by name.</summary>
    public string All => string.Join(" UNION ALL BY NAME ", Relations.Select(relation => $"SELECT * FROM {relation}"));

    /// <summary>
    /// Every landed row with <see cref="VersionColumn"/>, the order in which they landed: bronze's rows in
    /// <c>_ingestion_timestamp</c> order, then the pending files' (newer than bronze), each file's rows in file order.
    /// </summary>
    public string Versions => string.Join(" UNION ALL BY NAME ", VersionRelations);

    private IReadOnlyList<string> VersionRelations { get; }

    public static LandedRows Of(CheckedConnection warehouse, Project project, SourceDefinition source, SourceTable table, CancellationToken cancellationToken)
    {
        var relations = new List<string>();
        var versions = new List<string>();
        if (RelationCatalog.KindOf(warehouse, table.BronzeName, cancellationToken) != RelationKind.None)
        {
            var metadata = string.Join(", ", LandingLoader.MetadataColumns.Select(column => column.Name));
            relations.Add($"(SELECT * EXCLUDE ({metadata}) FROM {table.BronzeName.Sql})");
            versions.Add(
                $"SELECT * EXCLUDE ({metadata}), [0, epoch_us({SqlText.Identifier(LandingLoader.IngestionTimestamp)}), 0] AS {VersionColumn} FROM {table.BronzeName.Sql}");
        }

        var pending = LandingFiles.Pending(warehouse, project, source, table, byContent: false, cancellationToken);
        if (pending.Count > 0)
        {
            relations.Add($"read_parquet({SqlText.LiteralList(pending.Select(file => file.FullName))}, union_by_name = true)");
            versions.AddRange(pending.Select((file, index) =>
                $"SELECT * EXCLUDE (file_row_number), [1, {index}, file_row_number] AS {VersionColumn} FROM read_parquet({SqlText.Literal(file.FullName)}, file_row_number = true)"));
        }

        return new LandedRows(relations, versions) { HasPendingFiles = pending.Count > 0 };
    }

    /// <summary>The highest finite landed value of <paramref name="column"/> as a cursor; null when no landed row has one.</summary>
    public SourceCursor? Max(CheckedConnection warehouse, string column, CancellationToken cancellationToken)
    {
        if (IsEmpty)
        {
            return null;
        }

        var quoted = SqlText.Identifier(column);
        var type = RelationCatalog.DescribeQuery(warehouse, $"SELECT {quoted} FROM ({All})", cancellationToken).Single().Type;
        var max = warehouse.Query(
            $"SELECT {CursorValues.MaxText(quoted, type)} FROM ({All})",
            reader => reader.IsDBNull(0) ? null : SourceCursor.OfValue(column, reader.GetString(0), type),
            cancellationToken).Single();
        return max;
    }
}
