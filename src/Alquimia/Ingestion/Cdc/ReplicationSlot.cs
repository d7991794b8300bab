using Alquimia.Projects;
using Npgsql;
using NpgsqlTypes;

namespace Alquimia.Ingestion.Cdc;

/// <summary>A logical replication slot as <c>pg_replication_slots</c> shows it.</summary>
/// <param name="ConfirmedFlush">Where the slot's stream starts: changes committed before it were acknowledged.</param>
/// <param name="WalStatus"><c>reserved</c>, <c>extended</c>, <c>unreserved</c> or <c>lost</c> (its WAL is gone: the slot is useless).</param>
/// <param name="RetainedBytes">The WAL the slot keeps from being removed, in bytes.</param>
internal sealed record ReplicationSlot(string Name, string Plugin, string Database, NpgsqlLogSequenceNumber ConfirmedFlush, string? WalStatus, long RetainedBytes)
{
    /// <summary>The slot, or null when there is none of that name.</summary>
    public static ReplicationSlot? Find(NpgsqlConnection connection, string name)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT slot_name::text, coalesce(plugin::text, ''), coalesce(database::text, ''), coalesce(confirmed_flush_lsn, '0/0'::pg_lsn), wal_status,
                   coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::int8
            FROM pg_replication_slots WHERE slot_name = $1
            """,
            connection);
        command.Parameters.AddWithValue(name);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ReplicationSlot(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<NpgsqlLogSequenceNumber>(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5))
            : null;
    }

    /// <summary>
    /// The slot of a CDC source, checked usable: it exists, in the source's database, for pgoutput, and its WAL is there.
    /// </summary>
    /// <exception cref="AlquimiaException">It is missing or lost: what happened and the fix.</exception>
    public static ReplicationSlot Usable(NpgsqlConnection connection, SourceDefinition source)
    {
        var options = PostgresCdcOptions.Of(source);
        var slot = Find(connection, options.Slot) ?? throw new AlquimiaException(
            $"Source '{source.Name}': the replication slot '{options.Slot}' does not exist in {Postgres.PostgresConnectionString.Describe(connection.ConnectionString)}. "
            + $"Run 'alquimia cdc setup' to create it and the publication '{options.Publication}'; the next sync then takes a snapshot of every table.");
        if (slot.Plugin != "pgoutput" || slot.Database != connection.Database)
        {
            throw new AlquimiaException(
                $"Source '{source.Name}': the replication slot '{options.Slot}' belongs to another consumer (plugin {slot.Plugin}, database {slot.Database}). "
                + $"Name a slot of its own with slot: in {Path.GetFileName(source.FilePath)}, then run 'alquimia cdc setup'.");
        }

        if (slot.WalStatus == "lost")
        {
            throw new AlquimiaException(
                $"Source '{source.Name}': the replication slot '{options.Slot}' was invalidated: PostgreSQL removed WAL it had not delivered (its retained WAL passed "
                + "max_slot_wal_keep_size), so changes since the last sync are gone. Fix: drop it (SELECT pg_drop_replication_slot('" + options.Slot + "')) and run "
                + "'alquimia cdc setup'; the next sync then takes a new snapshot of every table, which replaces what bronze's feed had (a truncate, then the rows).");
        }

        return slot;
    }

    /// <summary>
    /// Moves the slot's confirmed position to <paramref name="to"/>, so PostgreSQL may recycle the WAL before it: only
    /// what DuckDB has committed. A slot still held by the stream just closed is waited for a few seconds.
    /// </summary>
    public static void Advance(NpgsqlConnection connection, string slot, NpgsqlLogSequenceNumber to)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var command = new NpgsqlCommand("SELECT pg_replication_slot_advance($1, $2::pg_lsn)", connection);
                command.Parameters.AddWithValue(slot);
                command.Parameters.AddWithValue(to.ToString());
                command.ExecuteNonQuery();
                return;
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }
}
