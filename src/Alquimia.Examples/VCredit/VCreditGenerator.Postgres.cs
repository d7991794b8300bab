using Alquimia.Warehouse.DuckDb;
using Alquimia.Ingestion.Postgres;
using Alquimia.Warehouse;
using Npgsql;
using static Alquimia.Warehouse.DuckDb.SqlText;
using static Alquimia.Examples.VCredit.VCreditSql;

namespace Alquimia.Examples.VCredit;

/// <summary>
/// The generator's second output: the eight source tables written into a PostgreSQL database, as the Supabase app of
/// seed 000 holds them, for a <c>type: postgres</c> source to extract (examples/vcredit/sources_postgres).
/// </summary>
/// <remarks>
/// The rows are the ones the files would hold, streamed from DuckDB by binary COPY, plus one column,
/// <c>gravado_em</c> (<see cref="VCreditPostgresTable"/>). A database holds each row once: generated over several
/// days, a table holds each row's latest version, as the app's table would after those days. chamados has no primary
/// key, so that the 'duplicado' defect (one id twice in a day) stays in; no table has foreign keys or checks, so
/// orphans, negative costs and scores out of range go in as they do in the files.
/// </remarks>
public static partial class VCreditGenerator
{
    private const string PostgresOwner = "The database to generate into";

    /// <summary>
    /// Creates the eight tables in <paramref name="schema"/> (created when missing) and writes
    /// <see cref="VCreditGeneratorOptions.Days"/> days into them, in one transaction. None of the tables may exist yet:
    /// use <see cref="GenerateNextDayToPostgres"/> to add a day.
    /// </summary>
    /// <param name="connection">A postgres:// URL or an Npgsql connection string; <c>${VAR}</c> is read from the environment.</param>
    /// <param name="options">The same options give the same rows as <see cref="Generate"/> does.</param>
    /// <param name="schema">The schema of the tables. The default is public.</param>
    public static VCreditGenerationSummary GenerateToPostgres(string connection, VCreditGeneratorOptions options, string schema = "public")
    {
        return OnPostgres(connection, options, schema, (postgres, connectionString) =>
        {
            using var transaction = postgres.BeginTransaction();
            Execute(postgres, $"CREATE SCHEMA IF NOT EXISTS {Identifier(schema)}");
            if (ExistingTables(postgres, schema) is { Count: > 0 } existing)
            {
                throw new AlquimiaException(
                    $"{PostgresOwner} ({PostgresConnectionString.Describe(connectionString)}) already has {string.Join(", ", existing.Select(name => $"{schema}.{name}"))}. "
                    + $"Use --next-day to add a day to them, drop them to generate again, or choose another --schema.");
            }

            using var duckDb = Open(options);
            var days = PlanFirstDays(duckDb, options);
            PlanDays(duckDb, options, days);
            var rows = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var table in VCreditPostgresTable.All)
            {
                var query = table.Select(Rows(table.Name, options), severalDays: days.Count > 1);
                var columns = Describe(duckDb, query);
                Execute(postgres, table.Create(schema, columns));
                rows[table.Name] = DuckDbToPostgres.Copy(duckDb, query, columns, postgres, table.Qualified(schema));
                Execute(postgres, table.Index(schema));
            }

            transaction.Commit();
            return new VCreditGenerationSummary(days, rows, 0);
        });
    }

    /// <summary>
    /// Adds the day after the newest <c>gravado_em</c> in the tables, as <see cref="GenerateNextDay"/> does to a lake:
    /// new rows are inserted and changed ones replace their earlier version (through a staging table per table, with
    /// <c>INSERT … ON CONFLICT</c>), all in one transaction. Pass the options the tables were generated with.
    /// </summary>
    public static VCreditGenerationSummary GenerateNextDayToPostgres(string connection, VCreditGeneratorOptions options, string schema = "public")
    {
        return OnPostgres(connection, options, schema, (postgres, connectionString) =>
        {
            using var transaction = postgres.BeginTransaction();
            var missing = Tables.Except(ExistingTables(postgres, schema), StringComparer.Ordinal).ToList();
            var chamados = VCreditPostgresTable.All[^1].Qualified(schema);
            var newest = missing.Count == 0 ? Scalar<DateOnly>(postgres, $"SELECT max({VCreditPostgresTable.WrittenAtColumn})::date FROM {chamados}") : null;
            if (newest is null)
            {
                throw new AlquimiaException(
                    $"{PostgresOwner} ({PostgresConnectionString.Describe(connectionString)}) has no V-Credit chamados in schema {schema} to add a day to"
                    + (missing.Count > 0 ? $" (missing: {string.Join(", ", missing)})" : "") + ". Generate without --next-day first.");
            }

            var day = newest.Value.AddDays(1);
            var lastId = Scalar<long>(postgres, $"SELECT coalesce(max(id_chamado), 0) FROM {chamados}") ?? 0;
            using var duckDb = Open(options);
            LoadOpenChamados(postgres, chamados, duckDb);
            PlanNextDay(duckDb, options, day, lastId);
            PlanDays(duckDb, options, [day]);
            var rows = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var table in VCreditPostgresTable.All)
            {
                var query = table.Select(Rows(table.Name, options), severalDays: false);
                var columns = Describe(duckDb, query);
                var staging = $"vcredit_novos_{table.Name}";
                Execute(postgres, $"CREATE TEMP TABLE {Identifier(staging)} (LIKE {table.Qualified(schema)}) ON COMMIT DROP");
                rows[table.Name] = DuckDbToPostgres.Copy(duckDb, query, columns, postgres, Identifier(staging));
                Execute(postgres, table.Merge(schema, staging, columns));
            }

            transaction.Commit();
            return new VCreditGenerationSummary([day], rows, 0);
        });
    }

    /// <summary>Where <paramref name="connection"/> points, for messages: host, port, database and user, never the password.</summary>
    public static string DescribePostgres(string connection) =>
        PostgresConnectionString.Describe(PostgresConnectionString.Expand(connection, PostgresOwner));

    /// <summary>
    /// Fills DuckDB's <c>abertos</c> with the chamados whose latest row is still open, as the lake's would be; such a
    /// row was written the day the chamado arrived.
    /// </summary>
    private static void LoadOpenChamados(NpgsqlConnection postgres, string chamados, CheckedConnection duckDb)
    {
        Execute(duckDb, "CREATE TEMP TABLE abertos(id_chamado BIGINT, data_abertura DATE, chegada DATE)");
        using var command = new NpgsqlCommand(
            $"""
            SELECT id_chamado, aberto_em::date, {VCreditPostgresTable.WrittenAtColumn}::date
            FROM (
                SELECT id_chamado, aberto_em, status, {VCreditPostgresTable.WrittenAtColumn},
                       row_number() OVER (PARTITION BY id_chamado ORDER BY atualizado_em DESC, {VCreditPostgresTable.WrittenAtColumn} DESC, status COLLATE "C") AS versao
                FROM {chamados}
                WHERE id_chamado IN (SELECT id_chamado FROM {chamados} WHERE lower(trim(status)) IN ('aberto', 'em_atendimento'))
            ) v
            WHERE versao = 1 AND lower(trim(status)) IN ('aberto', 'em_atendimento')
            """,
            postgres);
        using var reader = command.ExecuteReader();
        using var appender = duckDb.CreateCheckedAppender(null, "abertos");
        while (reader.Read())
        {
            appender.CreateRow().Append(reader.GetInt64(0)).Append(reader.GetFieldValue<DateOnly>(1)).Append(reader.GetFieldValue<DateOnly>(2)).EndRow();
        }
    }

    /// <summary>Opens the database and runs <paramref name="work"/>; a PostgreSQL error becomes one line naming the server.</summary>
    /// <summary>Checks the arguments, opens the database, and runs <paramref name="work"/> with it and its expanded connection string.</summary>
    private static VCreditGenerationSummary OnPostgres(
        string connection, VCreditGeneratorOptions options, string schema, Func<NpgsqlConnection, string, VCreditGenerationSummary> work)
    {
        ArgumentException.ThrowIfNullOrEmpty(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        options.Validate();
        var connectionString = PostgresConnectionString.Expand(connection, PostgresOwner);
        try
        {
            using var postgres = new NpgsqlConnection(connectionString);
            postgres.Open();
            return work(postgres, connectionString);
        }
        catch (NpgsqlException error)
        {
            throw PostgresConnectionString.Failed(PostgresOwner, connectionString, error);
        }
    }

    private static List<string> ExistingTables(NpgsqlConnection postgres, string schema)
    {
        using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2) ORDER BY 1",
            postgres);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(Tables.ToArray());
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static List<VCreditPostgresColumn> Describe(CheckedConnection duckDb, string query) =>
        duckDb.Query($"DESCRIBE {query}", reader => VCreditPostgresColumn.Map(reader.GetString(0), reader.GetString(1)));

    private static void Execute(NpgsqlConnection postgres, string sql)
    {
        using var command = new NpgsqlCommand(sql, postgres);
        command.ExecuteNonQuery();
    }

    private static T? Scalar<T>(NpgsqlConnection postgres, string sql)
        where T : struct
    {
        using var command = new NpgsqlCommand(sql, postgres);
        using var reader = command.ExecuteReader();
        return reader.Read() && !reader.IsDBNull(0) ? reader.GetFieldValue<T>(0) : null;
    }
}
