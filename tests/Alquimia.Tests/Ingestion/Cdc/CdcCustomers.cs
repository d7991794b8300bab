using Alquimia.Tests.Ingestion.Postgres;
using Alquimia.Tests.Projects;
using Npgsql;

namespace Alquimia.Tests.Ingestion.Cdc;

/// <summary>
/// The CDC tests' project: seed 002's customers in the test database, captured by the <c>postgres_cdc</c> source
/// <c>loja</c>, and <c>silver.dm_customer</c> applying the feed (SCD type 1), which must always equal the source.
/// </summary>
internal static class CdcCustomers
{
    public const string DmCustomer = """
        /* ---
        materialized: apply_changes
        keys: [id]
        sequence_by: _seq
        apply_as_deletes: _op = 'delete'
        apply_as_truncates: _op = 'truncate'
        except_columns: [_op, _seq, _lsn, _commit_ts, _xid, _old, _ingestion_timestamp, _batch_id, _source, _source_file]
        --- */
        SELECT * FROM bronze.customers
        """;

    /// <summary>dm_customer's rows as <see cref="SourceRows"/> writes the source's.</summary>
    public const string DmCustomerRows = "SELECT id || '|' || name || '|' || coalesce(CAST(saldo AS VARCHAR), 'NULL') FROM silver.dm_customer ORDER BY id";

    /// <summary>Creates 200 customers and the project's source and model; returns the slot's (and publication's) name, one per database.</summary>
    public static string Create(ProjectFolder folder, string database)
    {
        var slot = "alquimia_" + new NpgsqlConnectionStringBuilder(database).Database;
        PostgresServer.Execute(database, """
            CREATE TABLE customers (id int4 PRIMARY KEY, name text NOT NULL, saldo numeric(10,2), bio text);
            INSERT INTO customers SELECT i, 'cliente ' || i, i * 1.25, NULL FROM generate_series(1, 200) AS i;
            """);
        folder.Write("sources/loja.yml", $"name: loja\ntype: postgres_cdc\nconnection: \"{database}\"\nslot: {slot}\npublication: {slot}\ntables:\n  - name: customers\n");
        folder.Write("models/silver/dm_customer.sql", DmCustomer);
        return slot;
    }

    /// <summary>The customers in the source, each as its id, name and balance.</summary>
    public static List<string> SourceRows(string database) =>
        PostgresServer.Query(database, "SELECT id || '|' || name || '|' || coalesce(saldo::text, 'NULL') FROM customers ORDER BY id");

    /// <summary>Inserts, updates (some twice in one transaction) and deletes customers until stopped; returns the transactions committed.</summary>
    public static int Write(string database, CancellationToken stop)
    {
        var random = new Random(2002);
        var next = 1000;
        var committed = 0;
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        while (!stop.IsCancellationRequested)
        {
            var id = random.Next(1, next);
            var sql = random.Next(4) switch
            {
                0 => $"INSERT INTO customers VALUES ({next++}, 'novo', 1.00, NULL)",
                1 => $"DELETE FROM customers WHERE id = {id}",
                2 => $"BEGIN; UPDATE customers SET saldo = saldo + 1 WHERE id = {id}; UPDATE customers SET name = 'twice ' || saldo WHERE id = {id}; COMMIT;",
                _ => $"UPDATE customers SET name = 'upd {committed}', saldo = coalesce(saldo, 0) + 0.01 WHERE id = {id}",
            };
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
            committed++;
            Thread.Sleep(2);
        }

        return committed;
    }
}
