using Alquimia.Ingestion.Landing;
using Alquimia.Projects;

namespace Alquimia.Ingestion.Cdc;

/// <summary>What one sync read from the stream for one table: its segments, one per shape of the table, in order.</summary>
internal sealed class TableChanges(string warehouse) : IDisposable
{
    private readonly List<ChangeSegment> _segments = [];

    /// <summary>The segment new changes go to, for the table's shape as the last Relation message gave it; null before one came.</summary>
    public ChangeSegment? Current { get; private set; }

    public long Rows => _segments.Sum(segment => segment.Rows);

    /// <summary>Takes the table's shape from a Relation message: a new segment when it differs from the current one's.</summary>
    public void Shape(IReadOnlyList<ChangeColumn> columns, bool keepsOldRow)
    {
        if (Current is { } current && current.KeepsOldRow == keepsOldRow && current.Columns.SequenceEqual(columns))
        {
            return;
        }

        Current?.Close();
        Current = new ChangeSegment(warehouse, columns, keepsOldRow);
        _segments.Add(Current);
    }

    /// <summary>
    /// Writes each segment as a part of <paramref name="batch"/>, in order; a value left out by an update is filled from
    /// what came before it: bronze, the batch's earlier parts (the snapshot's, the earlier segments'), the segment.
    /// </summary>
    public void WriteParts(LandingBatch batch, SourceDefinition source, SourceTable table, bool bronzeExists, CancellationToken cancellationToken)
    {
        foreach (var segment in _segments)
        {
            var before = new List<string>();
            if (bronzeExists)
            {
                before.Add($"SELECT * FROM {table.BronzeName.Sql}");
            }

            if (batch.PartPaths.Count > 0)
            {
                before.Add($"SELECT * FROM read_parquet({Warehouse.DuckDb.SqlText.LiteralList(batch.PartPaths)}, union_by_name = true)");
            }

            segment.WritePart(batch, source, table, before.Count == 0 ? null : string.Join(" UNION ALL BY NAME ", before), cancellationToken);
        }
    }

    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }
    }
}
