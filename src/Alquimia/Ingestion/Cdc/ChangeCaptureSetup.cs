using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;
using Npgsql;

namespace Alquimia.Ingestion.Cdc;

/// <summary>
/// <c>alquimia cdc setup</c> for one <c>postgres_cdc</c> source: checks what logical replication needs, then creates
/// the publication (or adds the tables it lacks) and the slot. Idempotent: what is there is kept. Every prerequisite
/// that fails is reported together, each with its fix, and nothing is created until all hold.
/// </summary>
internal static class ChangeCaptureSetup
{
    /// <returns>What was found or done, one line each.</returns>
    /// <exception cref="AlquimiaException">A prerequisite does not hold: every one that failed, with its fix.</exception>
    public static List<string> Run(SourceDefinition source, CancellationToken cancellationToken)
    {
        var options = PostgresCdcOptions.Of(source);
        var connectionString = PostgresConnectionString.Resolve(source.Name, options.Connection);
        using var connection = PostgresSource.Open(source, connectionString, cancellationToken);
        var tables = source.Tables.Select(table => table.Name).ToList();
        if (source.Discovery is not null)
        {
            tables = [.. PostgresSource.Tables(source, cancellationToken).Where(source.Discovery.Allows)];
        }

        var problems = Prerequisites(connection, options, tables);
        if (problems.Count > 0)
        {
            throw new AlquimiaException(
                $"Source '{source.Name}': {PostgresConnectionString.Describe(connectionString)} is not ready for change data capture; nothing was created:\n"
                + string.Join("\n", problems.Select(problem => "  - " + problem)));
        }

        return [Publication(connection, options, tables), Slot(connection, source, options)];
    }

    private static List<string> Prerequisites(NpgsqlConnection connection, PostgresCdcOptions options, List<string> tables)
    {
        var problems = new List<string>();
        var walLevel = Scalar<string>(connection, "SHOW wal_level");
        if (walLevel != "logical")
        {
            problems.Add($"wal_level is {walLevel}, and logical replication needs logical. Fix: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL.");
        }

        if (!Scalar<bool>(connection, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user"))
        {
            problems.Add($"the role {connection.UserName} may not replicate. Fix: ALTER ROLE {connection.UserName} REPLICATION;");
        }

        foreach (var table in tables)
        {
            using var command = Command(
                connection,
                """
                SELECT c.relreplident::text, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary), has_table_privilege(c.oid, 'SELECT')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
                """,
                [options.Schema, table]);
            using var reader = command.ExecuteReader();
            var qualified = $"{options.Schema}.{table}";
            if (!reader.Read())
            {
                problems.Add($"table {qualified} does not exist (a view cannot be captured). Fix the name in the source file, or create the table.");
                continue;
            }

            var (identity, hasKey, canRead) = (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2));
            if (identity == "n" || (identity == "d" && !hasKey))
            {
                problems.Add(
                    $"table {qualified} has no replica identity{(identity == "d" ? " (no primary key)" : "")}, so PostgreSQL refuses its updates and deletes once it is published. "
                    + $"Fix: add a primary key, or ALTER TABLE {qualified} REPLICA IDENTITY FULL;");
            }

            if (!canRead)
            {
                problems.Add($"the role {connection.UserName} may not read {qualified}, which its snapshot needs. Fix: GRANT SELECT ON {qualified} TO {connection.UserName};");
            }
        }

        return problems;
    }

    private static string Publication(NpgsqlConnection connection, PostgresCdcOptions options, List<string> tables)
    {
        var quoted = tables.Select(table => $"{Quote(options.Schema)}.{Quote(table)}").ToList();
        if (!Scalar<bool>(connection, "SELECT count(*) > 0 FROM pg_publication WHERE pubname = $1", options.Publication))
        {
            Execute(connection, $"CREATE PUBLICATION {Quote(options.Publication)} FOR TABLE {string.Join(", ", quoted)}");
            return $"publication {options.Publication}: created, with {string.Join(", ", tables)}";
        }

        var published = new HashSet<string>(
            Query(connection, "SELECT tablename::text FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2", options.Publication, options.Schema), StringComparer.Ordinal);
        var missing = tables.Where(table => !published.Contains(table)).ToList();
        if (missing.Count == 0)
        {
            return $"publication {options.Publication}: already there, with every table";
        }

        Execute(connection, $"ALTER PUBLICATION {Quote(options.Publication)} ADD TABLE {string.Join(", ", missing.Select(table => $"{Quote(options.Schema)}.{Quote(table)}"))}");
        return $"publication {options.Publication}: added {string.Join(", ", missing)} (their first sync takes a snapshot of them)";
    }

    private static string Slot(NpgsqlConnection connection, SourceDefinition source, PostgresCdcOptions options)
    {
        if (ReplicationSlot.Find(connection, options.Slot) is null)
        {
            Execute(connection, "SELECT pg_create_logical_replication_slot($1, 'pgoutput')", options.Slot);
            var created = ReplicationSlot.Usable(connection, source);
            return $"slot {options.Slot}: created at {created.ConfirmedFlush}; the next sync snapshots every table, then streams from there";
        }

        var slot = ReplicationSlot.Usable(connection, source);
        return $"slot {options.Slot}: already there, at {slot.ConfirmedFlush}, keeping {slot.RetainedBytes / (1024.0 * 1024):0.#} MB of WAL";
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static T Scalar<T>(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return (T)command.ExecuteScalar()!;
    }

    private static List<string> Query(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static void Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    /// <summary>A command with positional parameters ($1, $2, …).</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        return command;
    }
}
