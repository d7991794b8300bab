using System.Globalization;
using Alquimia.Ingestion.Landing;
using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Npgsql;
using NpgsqlTypes;

namespace Alquimia.Ingestion.Cdc;

/// <summary>
/// One run's sync of a CDC source. At its first table, it reads the slot's stream once for every table: from where
/// the slot was last acknowledged up to a heartbeat message it writes, staging each table's changes. A table never
/// synced (or whose position the slot has passed) is snapshotted first, in a snapshot taken before the stream is read:
/// it then takes only the streamed transactions that snapshot does not see. Each table's step lands its snapshot and
/// changes and stores the heartbeat's commit as its position; the slot is acknowledged up to the lowest position
/// DuckDB has committed, at the end of the run and at the start of the next, never before.
/// </summary>
internal sealed class PostgresCdcSession : ISyncSession
{
    /// <summary>The kind of a CDC table's stored position.</summary>
    public const string PositionKind = "lsn";

    private readonly SourceDefinition _source;
    private readonly string _connectionString;
    private readonly Lock _lock = new();
    private ChangeStreamReader? _stream;
    private Dictionary<string, TableStart> _starts = [];
    private readonly Dictionary<string, string> _resnapshotted = new(StringComparer.Ordinal);
    private NpgsqlLogSequenceNumber _end;
    private NpgsqlLogSequenceNumber _confirmed;
    private NpgsqlConnection? _snapshotConnection;
    private NpgsqlTransaction? _snapshotTransaction;
    private string? _snapshotId;
    private DateTime _snapshotTime;
    private string? _warehouse;

    private PostgresCdcSession(SourceDefinition source, string connectionString)
    {
        (_source, _connectionString) = (source, connectionString);
    }

    /// <summary>The session; the database is reached, and its slot checked, when the first table reads the stream.</summary>
    public static PostgresCdcSession Open(SourceDefinition source) =>
        new(source, PostgresConnectionString.Resolve(source.Name, PostgresCdcOptions.Of(source).Connection));

    public Extraction Extract(ExtractionRequest request, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_stream is null)
            {
                ReadStream(request, cancellationToken);
            }
        }

        var table = request.Table;
        var start = _starts[table.Name];
        var bronzeExists = RelationCatalog.KindOf(request.Warehouse, table.BronzeName, cancellationToken) != RelationKind.None;
        List<string> warnings = [];
        try
        {
            if (start.Snapshot is not null)
            {
                if (_resnapshotted.TryGetValue(table.Name, out var why))
                {
                    warnings.Add(why);
                    if (bronzeExists)
                    {
                        WriteTruncate(request, cancellationToken);
                    }
                }

                var snapshot = PostgresExtractor.Extract(request, _connectionString, _snapshotId!, SnapshotColumns(), cancellationToken);
                warnings.AddRange(snapshot.Warnings);
            }

            if (_stream!.Tables.TryGetValue(table.Name, out var changes))
            {
                changes.WriteParts(request.Batch, _source, table, bronzeExists, cancellationToken);
            }
        }
        catch (NpgsqlException error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw PostgresSource.Failed(_source, _connectionString, error);
        }

        return new Extraction(request.Batch.Rows, new SourceCursor(PositionKind, _end.ToString(), "pg_lsn"), warnings);
    }

    /// <summary>Reads the stream for every table of the source; the tables' steps then land what it staged.</summary>
    private void ReadStream(ExtractionRequest request, CancellationToken cancellationToken)
    {
        _warehouse = request.Warehouse.ConnectionString;
        var positions = Positions(request.Warehouse, cancellationToken);
        using var control = PostgresSource.Open(_source, _connectionString, cancellationToken);
        try
        {
            var slot = ReplicationSlot.Usable(control, _source);
            _confirmed = Acknowledge(control, slot.ConfirmedFlush, positions);
            var starts = new Dictionary<string, TableStart>(StringComparer.Ordinal);
            SnapshotVisibility? snapshot = null;
            foreach (var table in _source.Tables)
            {
                if (positions.GetValueOrDefault(table.Name) is { } position && position >= _confirmed)
                {
                    starts[table.Name] = new TableStart(position, null);
                    continue;
                }

                if (positions.TryGetValue(table.Name, out var passed))
                {
                    _resnapshotted[table.Name] =
                        $"{table.Name}: the slot '{PostgresCdcOptions.Of(_source).Slot}' starts at {_confirmed}, past this table's position {passed} "
                        + "(the slot was created again): the changes between are not in the stream, so the table was snapshotted again, after a truncate in its feed";
                }

                snapshot ??= TakeSnapshot(cancellationToken);
                starts[table.Name] = new TableStart(null, snapshot);
            }

            _starts = starts;
            var heartbeat = Guid.NewGuid().ToString("N");
            using (var emit = new NpgsqlCommand("SELECT pg_logical_emit_message(true, $1, $2)", control))
            {
                emit.Parameters.AddWithValue(ChangeStreamReader.HeartbeatPrefix);
                emit.Parameters.AddWithValue(heartbeat);
                emit.ExecuteNonQuery();
            }

            var stream = new ChangeStreamReader(_source, _connectionString, _warehouse, starts);
            try
            {
                _end = stream.Read(control, heartbeat, PostgresCdcOptions.Of(_source).MaxChanges, cancellationToken);
            }
            catch (Exception)
            {
                foreach (var changes in stream.Tables.Values)
                {
                    changes.Dispose();
                }

                throw;
            }

            _stream = stream;
        }
        catch (NpgsqlException error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw PostgresSource.Failed(_source, _connectionString, error);
        }
    }

    /// <summary>The tables' stored positions: where each one's changes were landed up to, as DuckDB committed them.</summary>
    private Dictionary<string, NpgsqlLogSequenceNumber> Positions(CheckedConnection warehouse, CancellationToken cancellationToken)
    {
        var positions = new Dictionary<string, NpgsqlLogSequenceNumber>(StringComparer.Ordinal);
        foreach (var table in _source.Tables)
        {
            if (SourceCursors.Read(warehouse, _source.Name, table.Name, cancellationToken) is { Kind: PositionKind } stored
                && RelationCatalog.KindOf(warehouse, table.BronzeName, cancellationToken) != RelationKind.None)
            {
                positions[table.Name] = NpgsqlLogSequenceNumber.Parse(stored.Value);
            }
        }

        return positions;
    }

    /// <summary>Acknowledges the lowest committed position, when it is past the slot's; returns where the slot stands.</summary>
    private NpgsqlLogSequenceNumber Acknowledge(NpgsqlConnection control, NpgsqlLogSequenceNumber confirmed, Dictionary<string, NpgsqlLogSequenceNumber> positions)
    {
        if (positions.Count == 0)
        {
            return confirmed;
        }

        var lowest = positions.Values.Min();
        if (lowest <= confirmed)
        {
            return confirmed;
        }

        ReplicationSlot.Advance(control, PostgresCdcOptions.Of(_source).Slot, lowest);
        return lowest;
    }

    /// <summary>
    /// A repeatable-read transaction, held for the run, whose snapshot the new tables' COPYs import; taken before the
    /// heartbeat, so that every transaction it does not see is in the stream.
    /// </summary>
    private SnapshotVisibility TakeSnapshot(CancellationToken cancellationToken)
    {
        // A read that failed after taking one (the step is retried) leaves it behind: its changes are read again, with a new one.
        _snapshotTransaction?.Dispose();
        _snapshotConnection?.Dispose();
        _snapshotConnection = PostgresSource.Open(_source, _connectionString, cancellationToken);
        _snapshotTransaction = _snapshotConnection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        using var command = new NpgsqlCommand("SELECT pg_current_snapshot()::text, pg_export_snapshot(), now()", _snapshotConnection, _snapshotTransaction);
        using var reader = command.ExecuteReader();
        reader.Read();
        var visibility = SnapshotVisibility.Parse(reader.GetString(0));
        (_snapshotId, _snapshotTime) = (reader.GetString(1), reader.GetDateTime(2));
        return visibility;
    }

    /// <summary>The change columns of a snapshot's rows, as constants of the COPY: sequence position 1 at the slot's position.</summary>
    private List<PostgresColumn> SnapshotColumns()
    {
        var lsn = SqlText.Literal(_confirmed.ToString());
        var time = SqlText.Literal(_snapshotTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture));
        return
        [
            new(ChangeColumns.Operation, "text", "VARCHAR", PostgresWireValue.Text, $"'{ChangeColumns.Snapshot}'::text"),
            new(ChangeColumns.Sequence, "numeric(38,0)", "DECIMAL(38,0)", PostgresWireValue.Numeric,
                $"((({lsn}::pg_lsn - '0/0'::pg_lsn) * {ChangeColumns.PositionsPerCommit} + {ChangeColumns.SnapshotPosition})::numeric(38,0))"),
            new(ChangeColumns.Lsn, "text", "VARCHAR", PostgresWireValue.Text, $"{lsn}::text"),
            new(ChangeColumns.CommitTime, "timestamptz", "TIMESTAMPTZ", PostgresWireValue.TimestampTz, $"{time}::timestamptz"),
            new(ChangeColumns.TransactionId, "bigint", "BIGINT", PostgresWireValue.Int64, "NULL::int8"),
            new(ChangeColumns.OldRow, "json", "JSON", PostgresWireValue.Text, "NULL::text"),
        ];
    }

    /// <summary>A new snapshot replaces what the feed had: a truncate at position 0 of the slot's position comes first.</summary>
    private void WriteTruncate(ExtractionRequest request, CancellationToken cancellationToken)
    {
        var sequence = $"CAST(CAST({((ulong)_confirmed).ToString(CultureInfo.InvariantCulture)} AS DECIMAL(38,0)) * {ChangeColumns.PositionsPerCommit} + {ChangeColumns.TruncatePosition} AS DECIMAL(38,0))";
        var part = request.Batch.NextPartPath();
        request.Batch.Added(request.Warehouse.Execute(
            $"COPY (SELECT '{ChangeColumns.Truncate}' AS {ChangeColumns.Operation}, {sequence} AS {ChangeColumns.Sequence}, {SqlText.Literal(_confirmed.ToString())} AS {ChangeColumns.Lsn}, "
            + $"CAST({SqlText.Literal(_snapshotTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture))} AS TIMESTAMPTZ) AS {ChangeColumns.CommitTime}, "
            + $"CAST(NULL AS BIGINT) AS {ChangeColumns.TransactionId}, CAST(NULL AS JSON) AS {ChangeColumns.OldRow}) TO {SqlText.Literal(part)} ({request.Batch.ParquetOptions})",
            cancellationToken));
    }

    /// <summary>Acknowledges what the run's steps committed, then lets go of the snapshot and the staged changes.</summary>
    public void Dispose()
    {
        try
        {
            if (_stream is not null && _warehouse is not null)
            {
                using var warehouse = new CheckedConnection(_warehouse);
                warehouse.Open();
                var positions = Positions(warehouse, CancellationToken.None);
                using var control = PostgresSource.Open(_source, _connectionString, CancellationToken.None);
                Acknowledge(control, _confirmed, positions);
            }
        }
        catch (Exception error) when (error is NpgsqlException or AlquimiaException or DuckDbEngineException or IOException)
        {
            // Unacknowledged changes are read again by the next sync, which skips what each table has; nothing is lost.
        }
        finally
        {
            foreach (var changes in _stream?.Tables.Values ?? [])
            {
                changes.Dispose();
            }

            _snapshotTransaction?.Dispose();
            _snapshotConnection?.Dispose();
        }
    }
}
