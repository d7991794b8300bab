using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace Alquimia.Ingestion.Cdc;

/// <summary>What each of the source's tables takes from the stream in a sync.</summary>
/// <param name="After">Changes committed at or past this LSN are new to the table (its stored position); null when it is being snapshotted.</param>
/// <param name="Snapshot">The table's initial snapshot, whose transactions it already has; null when it has a position.</param>
internal sealed record TableStart(NpgsqlLogSequenceNumber? After, SnapshotVisibility? Snapshot);

/// <summary>
/// Reads a slot's stream (pgoutput, binary values) from where it was last acknowledged up to a heartbeat message this
/// sync wrote, and stages each change of the source's tables in that table's <see cref="TableChanges"/>. Whole
/// transactions only: the stream ends at the heartbeat's commit, whose end LSN is where the next sync starts.
/// </summary>
internal sealed class ChangeStreamReader(SourceDefinition source, string connectionString, string warehouse, IReadOnlyDictionary<string, TableStart> starts)
{
    /// <summary>The prefix of Alquimia's heartbeat messages (<c>pg_logical_emit_message</c>).</summary>
    public const string HeartbeatPrefix = "alquimia";

    private readonly Dictionary<string, TableChanges> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<(uint, int), (string, Postgres.PostgresCatalogType)> _types = [];
    private byte[] _buffer = new byte[4096];
    private long _staged;

    /// <summary>Each table's staged changes.</summary>
    public IReadOnlyDictionary<string, TableChanges> Tables => _tables;

    /// <summary>
    /// Reads until the transaction carrying <paramref name="heartbeat"/> commits, or, past <paramref name="maxChanges"/>
    /// staged changes, until the commit that reached them; returns that commit's end LSN. A sync that snapshots a table
    /// reads to the heartbeat whatever the limit: the changes its snapshot already has are told apart only on this read.
    /// </summary>
    public NpgsqlLogSequenceNumber Read(NpgsqlConnection catalog, string heartbeat, long? maxChanges, CancellationToken cancellationToken) =>
        ReadAsync(catalog, heartbeat, starts.Values.Any(start => start.Snapshot is not null) ? null : maxChanges, cancellationToken).GetAwaiter().GetResult();

    private async Task<NpgsqlLogSequenceNumber> ReadAsync(NpgsqlConnection catalog, string heartbeat, long? maxChanges, CancellationToken cancellationToken)
    {
        var options = PostgresCdcOptions.Of(source);
        await using var replication = new LogicalReplicationConnection(connectionString);
        await replication.Open(cancellationToken);
        var slot = new PgOutputReplicationSlot(options.Slot);
        var pgoutput = new PgOutputReplicationOptions(options.Publication, PgOutputProtocolVersion.V1, binary: true, messages: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (xid, commitLsn, commitTime, position, sawHeartbeat) = (0u, 0UL, default(DateTime), 0L, false);
        await foreach (var message in replication.StartReplication(slot, pgoutput, stop.Token))
        {
            switch (message)
            {
                case BeginMessage begin:
                    (xid, commitLsn, commitTime, position) = (begin.TransactionXid, (ulong)begin.TransactionFinalLsn, begin.TransactionCommitTimestamp, ChangeColumns.FirstChangePosition);
                    break;
                case RelationMessage relation when Tracked(relation.Namespace, relation.RelationName) is { } table:
                    table.Shape(RelationColumns.Of(relation, catalog, source, _types), relation.ReplicaIdentity == RelationMessage.ReplicaIdentitySetting.AllColumns);
                    break;
                case InsertMessage insert when Wanted(insert.Relation) is { } segment:
                    await Append(segment, ChangeColumns.Insert, null, insert.NewRow, keepsOld: false);
                    break;
                case FullUpdateMessage update when Wanted(update.Relation) is { } segment:
                    await Append(segment, ChangeColumns.Update, update.OldRow, update.NewRow, keepsOld: true);
                    break;
                case IndexUpdateMessage update when Wanted(update.Relation) is { } segment:
                    // The key changed: the old key is deleted, then the row is there under its new key.
                    await Append(segment, ChangeColumns.Delete, null, update.Key, keepsOld: false);
                    await Append(segment, ChangeColumns.Update, null, update.NewRow, keepsOld: false);
                    break;
                case UpdateMessage update when Wanted(update.Relation) is { } segment:
                    await Append(segment, ChangeColumns.Update, null, update.NewRow, keepsOld: false);
                    break;
                case FullDeleteMessage delete when Wanted(delete.Relation) is { } segment:
                    await Append(segment, ChangeColumns.Delete, null, delete.OldRow, keepsOld: false);
                    break;
                case KeyDeleteMessage delete when Wanted(delete.Relation) is { } segment:
                    await Append(segment, ChangeColumns.Delete, null, delete.Key, keepsOld: false);
                    break;
                case TruncateMessage truncate:
                    foreach (var relation in truncate.Relations)
                    {
                        if (Wanted(relation) is { Segment: var segment })
                        {
                            var row = segment.Begin();
                            for (var i = 0; i < segment.Columns.Count * (segment.KeepsOldRow ? 2 : 1); i++)
                            {
                                row = row.AppendNull();
                            }

                            segment.End(row, ChangeColumns.Truncate, commitLsn, position++, commitTime, xid, hasOld: false, []);
                            _staged++;
                        }
                    }

                    break;
                case LogicalDecodingMessage { Prefix: HeartbeatPrefix } note:
                    sawHeartbeat |= System.Text.Encoding.UTF8.GetString(await ReadAll(note.Data)) == heartbeat;
                    break;
                case CommitMessage commit when sawHeartbeat || _staged >= maxChanges:
                    return commit.TransactionEndLsn;
            }
        }

        throw new InvalidOperationException("The replication stream ended before the sync's heartbeat.");

        SegmentFor? Wanted(RelationMessage relation)
        {
            if (Tracked(relation.Namespace, relation.RelationName) is not { Current: { } segment } || !starts.TryGetValue(relation.RelationName, out var start))
            {
                return null;
            }

            var isNew = start.After is { } after ? commitLsn >= (ulong)after : !start.Snapshot!.Sees(xid);
            return isNew ? new SegmentFor(segment, relation) : null;
        }

        async Task Append(SegmentFor target, string operation, ReplicationTuple? old, ReplicationTuple row, bool keepsOld)
        {
            var segment = target.Segment;
            var staged = segment.Begin();
            var unchanged = new List<int>();
            var hasOld = keepsOld && old is not null && segment.KeepsOldRow;
            if (segment.KeepsOldRow)
            {
                if (hasOld)
                {
                    staged = await AppendTuple(segment, staged, old!, unchanged: null, target.Relation);
                }
                else
                {
                    for (var i = 0; i < segment.Columns.Count; i++)
                    {
                        staged = staged.AppendNull();
                    }
                }
            }

            staged = await AppendTuple(segment, staged, row, unchanged, target.Relation);
            segment.End(staged, operation, commitLsn, position++, commitTime, xid, hasOld, unchanged);
            _staged++;
        }
    }

    private TableChanges? Tracked(string schema, string name)
    {
        if (schema != PostgresCdcOptions.Of(source).Schema || !starts.ContainsKey(name))
        {
            return null;
        }

        if (!_tables.TryGetValue(name, out var table))
        {
            table = new TableChanges(warehouse);
            _tables[name] = table;
        }

        return table;
    }

    private async Task<CheckedAppenderRow> AppendTuple(ChangeSegment segment, CheckedAppenderRow row, ReplicationTuple tuple, List<int>? unchanged, RelationMessage relation)
    {
        var index = 0;
        await foreach (var value in tuple)
        {
            var column = segment.Columns[index];
            if (value.IsDBNull)
            {
                row = row.AppendNull();
            }
            else if (value.IsUnchangedToastedValue)
            {
                unchanged?.Add(index);
                row = row.AppendNull();
            }
            else
            {
                var length = await ReadInto(value);
                try
                {
                    row = column.Append(row, _buffer.AsSpan(0, length));
                }
                catch (Exception error) when (error is ArgumentException or OverflowException)
                {
                    throw new AlquimiaException(
                        $"Source '{source.Name}': a changed value of column '{column.Name}' ({column.Column.PostgresType}) of table {relation.Namespace}.{relation.RelationName} "
                        + $"cannot be landed: {error.Message} {column.Column.Fix}");
                }
            }

            index++;
        }

        return row;
    }

    private async Task<int> ReadInto(ReplicationValue value)
    {
        if (_buffer.Length < value.Length)
        {
            _buffer = new byte[Math.Max(value.Length, _buffer.Length * 2)];
        }

        await using var stream = value.GetStream();
        var read = 0;
        while (read < value.Length)
        {
            var chunk = await stream.ReadAsync(_buffer.AsMemory(read, value.Length - read));
            if (chunk == 0)
            {
                throw new IOException("The replication stream ended inside a value.");
            }

            read += chunk;
        }

        return read;
    }

    private static async Task<byte[]> ReadAll(Stream data)
    {
        using var copy = new MemoryStream();
        await data.CopyToAsync(copy);
        return copy.ToArray();
    }

    private sealed record SegmentFor(ChangeSegment Segment, RelationMessage Relation);
}
