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
    private LandedRows(IReadOnlyList<string> relations)
    {
        Relations = relations;
    }

    /// <summary>Each relation holding landed rows, as a FROM item with the source's columns only.</summary>
    public IReadOnlyList<string> Relations { get; }

    /// <summary>True when nothing is landed yet.</summary>
    public bool IsEmpty => Relations.Count == 0;

    /// <summary>True when files are landed that bronze has not taken.</summary>
    public bool HasPendingFiles { get; private init; }

    /// <summary>Every landed row, their columns united by name.</summary>
    public string All => string.Join(" UNION ALL BY NAME ", Relations.Select(relation => $"SELECT * FROM {relation}"));

    public static LandedRows Of(CheckedConnection warehouse, Project project, SourceDefinition source, SourceTable table, CancellationToken cancellationToken)
    {
        var relations = new List<string>();
        if (RelationCatalog.KindOf(warehouse, table.BronzeName, cancellationToken) != RelationKind.None)
        {
            relations.Add($"(SELECT * EXCLUDE ({string.Join(", ", LandingLoader.MetadataColumns.Select(column => column.Name))}) FROM {table.BronzeName.Sql})");
        }

        var pending = LandingFiles.Pending(warehouse, project, source, table, byContent: false, cancellationToken);
        if (pending.Count > 0)
        {
            relations.Add($"read_parquet({SqlText.LiteralList(pending.Select(file => file.FullName))}, union_by_name = true)");
        }

        return new LandedRows(relations) { HasPendingFiles = pending.Count > 0 };
    }

    /// <summary>The highest landed value of <paramref name="column"/> as a cursor; null when no landed row has one.</summary>
    public SourceCursor? Max(CheckedConnection warehouse, string column, CancellationToken cancellationToken)
    {
        if (IsEmpty)
        {
            return null;
        }

        var quoted = SqlText.Identifier(column);
        var max = warehouse.Query(
            $"SELECT CAST(max(c) AS VARCHAR), CAST(typeof(max(c)) AS VARCHAR) FROM ({string.Join(" UNION ALL ", Relations.Select(relation => $"SELECT max({quoted}) AS c FROM {relation}"))})",
            reader => reader.IsDBNull(0) ? null : SourceCursor.OfValue(column, reader.GetString(0), reader.GetString(1)),
            cancellationToken).Single();
        return max;
    }
}
