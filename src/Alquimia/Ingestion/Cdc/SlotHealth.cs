using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;
using Npgsql;

namespace Alquimia.Ingestion.Cdc;

/// <summary>How a CDC source's slot stands in its database: for <c>/metrics</c> and the <c>slot_at_risk</c> alert.</summary>
internal static class SlotHealth
{
    /// <summary>
    /// The slot of each CDC source of the project. A source whose database or slot cannot be read is left out: its next
    /// sync fails saying why.
    /// </summary>
    public static List<Operations.CdcSlotState> Read(Project project, CancellationToken cancellationToken)
    {
        var states = new List<Operations.CdcSlotState>();
        foreach (var source in project.Sources.Where(source => source.Options is PostgresCdcOptions))
        {
            var options = PostgresCdcOptions.Of(source);
            try
            {
                var connectionString = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Resolve(source.Name, options.Connection)) { Timeout = 5, CommandTimeout = 5 }.ConnectionString;
                using var connection = PostgresSource.Open(source, connectionString, cancellationToken);
                using var command = new NpgsqlCommand(
                    """
                    SELECT wal_status, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::int8,
                           coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::int8, safe_wal_size,
                           (SELECT CASE WHEN setting::int8 < 0 THEN NULL ELSE setting::int8 * 1024 * 1024 END FROM pg_settings WHERE name = 'max_slot_wal_keep_size')
                    FROM pg_replication_slots WHERE slot_name = $1
                    """,
                    connection);
                command.Parameters.AddWithValue(options.Slot);
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    states.Add(new Operations.CdcSlotState(
                        source.Name, options.Slot, reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
                }
            }
            catch (Exception error) when (error is AlquimiaException or NpgsqlException)
            {
            }
        }

        return states;
    }
}
