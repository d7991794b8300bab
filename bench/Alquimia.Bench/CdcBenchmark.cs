using System.Diagnostics;
using System.Globalization;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Npgsql;

namespace Alquimia.Bench;

/// <summary>
/// CDC (issue 26): a <c>postgres_cdc</c> source of 100,000 customers in a throwaway local PostgreSQL on this machine,
/// with dm_customer applied as SCD type 1 and as SCD type 2. Throughput: a backlog of mixed inserts, updates and
/// deletes (transactions of 1,000) synced and applied by one run, against PostgreSQL decoding the same backlog
/// (<c>pg_logical_slot_peek_binary_changes</c>), the work no consumer of the slot can skip. Latency: changes committed
/// at about 5,000 a second for 20 s while micro-batches run back to back, each change timed from its commit to the
/// commit of the models that make it queryable.
/// </summary>
internal sealed class CdcBenchmark : IBenchmark
{
    private const int Customers = 100_000;
    private const double ChangesPerSecondGoal = 25_000;
    private const double LatencyGoalSeconds = 2.0;
    private const long PeakMemoryGoalBytes = 1536L * 1024 * 1024;

    public string Name => "cdc";

    public string Description => "PostgreSQL logical replication → bronze change feed → apply_changes SCD1 and SCD2: changes/s over a backlog (at most 500,000 changes, or --rows), and commit-to-queryable p99 at 5,000 changes/s";

    public void Run(BenchmarkOptions options)
    {
        var changes = Math.Min(options.Rows, 500_000);
        var folder = Path.Combine(Path.GetTempPath(), $"alquimia-bench-cdc-{Environment.ProcessId}");
        var server = ThrowawayServer.Script("postgres.sh", "start", Path.Combine(folder, "server")).Trim().Split('\n')[^1];
        try
        {
            var result = new ResultTable("measure", "value", "baseline", "ratio", "peak RSS", "goal");
            for (var repetition = 0; repetition < Math.Max(1, options.Repetitions); repetition++)
            {
                Throughput(result, Path.Combine(folder, $"throughput-{repetition}"), server, changes, repetition);
            }

            Latency(result, Path.Combine(folder, "latency"), server);
            result.Print($"CDC, {Format.Count(Customers)} customers, mixed changes (60% updates, 25% inserts, 15% deletes), SCD1 and SCD2 models");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            ThrowawayServer.Script("postgres.sh", "stop", Path.Combine(folder, "server"));
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Throughput(ResultTable result, string project, string server, long changes, int repetition)
    {
        var database = CreateDatabase(server, $"cdc_throughput_{repetition}");
        var loaded = WriteProject(project, database);
        Assert(ChangeCapture.Setup(loaded, null).Single().Error);
        CliRun.Run(loaded, new RunOptions());
        Console.WriteLine($"Committing a backlog of about {Format.Count(changes)} changes ...");
        for (var done = 0L; done < changes; done += 1000)
        {
            Execute(database, "SELECT bench_changes(1000)");
        }

        var decode = Stopwatch.StartNew();
        var decoded = long.Parse(Scalar(database, $"SELECT count(*) FROM pg_logical_slot_peek_binary_changes('{Slot(database)}', NULL, NULL, 'proto_version', '1', 'publication_names', '{Slot(database)}', 'binary', 'true')"), CultureInfo.InvariantCulture);
        decode.Stop();
        MemoryUsage.TryResetPeak();
        var sync = Stopwatch.StartNew();
        var summary = CliRun.Run(loaded, new RunOptions());
        sync.Stop();
        if (summary.Steps.FirstOrDefault(step => step.Error is not null) is { } failed)
        {
            throw new InvalidOperationException($"{failed.Model}: {failed.Error}");
        }

        var landed = summary.Steps.Single(step => step.Model == "bronze.customers").RowsInserted;
        var rate = landed / sync.Elapsed.TotalSeconds;
        // PostgreSQL's rows of decoded messages include each transaction's BEGIN and COMMIT, about 2 per 1,000 changes.
        var baseline = decoded / decode.Elapsed.TotalSeconds;
        result.Add(
            $"backlog of {Format.Count(landed)} changes → bronze + SCD1 + SCD2 (run {repetition + 1})",
            $"{rate.ToString("N0", CultureInfo.InvariantCulture)} changes/s in {Format.Milliseconds(sync.Elapsed)} ms",
            $"PostgreSQL decodes {baseline.ToString("N0", CultureInfo.InvariantCulture)} messages/s",
            Format.Percent(rate / baseline),
            Format.Megabytes(MemoryUsage.PeakWorkingSet),
            $">= 25,000/s: {(rate >= ChangesPerSecondGoal ? "met" : "MISSED")}; peak RSS <= 1.5 GB: {(MemoryUsage.PeakWorkingSet <= PeakMemoryGoalBytes ? "met" : "MISSED")}");
        foreach (var step in summary.Steps)
        {
            Console.WriteLine($"  {step.Model}: {Format.Milliseconds(step.Duration)} ms, {Format.Count(step.RowsInserted)} inserted, {Format.Count(step.RowsUpdated)} updated, {Format.Count(step.RowsDeleted)} deleted");
        }
    }

    private static void Latency(ResultTable result, string project, string server)
    {
        var database = CreateDatabase(server, "cdc_latency");
        var loaded = WriteProject(project, database);
        Assert(ChangeCapture.Setup(loaded, null).Single().Error);
        using var warehouse = EmbeddedWarehouse.Open(loaded);
        var runner = new PipelineRunner(warehouse);
        runner.RunAsync(loaded, new RunOptions()).GetAwaiter().GetResult();
        MemoryUsage.TryResetPeak();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var writer = Task.Run(() => WriteSteadily(database, stop.Token));
        var batches = 0;
        while (!writer.IsCompleted)
        {
            runner.RunAsync(loaded, new RunOptions()).GetAwaiter().GetResult();
            batches++;
        }

        runner.RunAsync(loaded, new RunOptions()).GetAwaiter().GetResult();
        var committed = writer.GetAwaiter().GetResult();
        using var connection = warehouse.OpenConnection();
        // A change is queryable once both models of its micro-batch committed; its bronze batch is <run>-customers.
        var row = connection.Query(
            """
            WITH queryable AS (
                SELECT run_id, max(finished_at) AS at FROM _alquimia.model_runs WHERE model LIKE 'silver.dm_customer%' AND status IN ('succeeded', 'warning') GROUP BY run_id),
            changes AS (
                SELECT left(_batch_id, length(_batch_id) - length('-customers')) AS run_id, _commit_ts FROM bronze.customers WHERE _op <> 'snapshot')
            SELECT count(*), quantile_cont(epoch(q.at) - epoch(c._commit_ts), 0.5), quantile_cont(epoch(q.at) - epoch(c._commit_ts), 0.99), max(epoch(q.at) - epoch(c._commit_ts))
            FROM changes c JOIN queryable q USING (run_id)
            """,
            reader => (Count: reader.GetInt64(0), Median: reader.GetDouble(1), P99: reader.GetDouble(2), Max: reader.GetDouble(3))).Single();
        result.Add(
            $"commit → queryable, {Format.Count(row.Count)} changes at {(row.Count / 20.0).ToString("N0", CultureInfo.InvariantCulture)}/s ({committed} transactions, {batches} micro-batches)",
            $"p99 {row.P99.ToString("N2", CultureInfo.InvariantCulture)} s (median {row.Median.ToString("N2", CultureInfo.InvariantCulture)} s, max {row.Max.ToString("N2", CultureInfo.InvariantCulture)} s)",
            "", "", Format.Megabytes(MemoryUsage.PeakWorkingSet),
            $"p99 <= 2 s: {(row.P99 <= LatencyGoalSeconds ? "met" : "MISSED")}");
    }

    /// <summary>About 5,000 changes a second: a transaction of 50 every 10 ms. Returns the transactions committed.</summary>
    private static int WriteSteadily(string database, CancellationToken stop)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        var clock = Stopwatch.StartNew();
        var committed = 0;
        while (!stop.IsCancellationRequested)
        {
            using var command = new NpgsqlCommand("SELECT bench_changes(50)", connection);
            command.ExecuteNonQuery();
            committed++;
            var due = TimeSpan.FromMilliseconds(10 * committed) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                Thread.Sleep(due);
            }
        }

        return committed;
    }

    private static string CreateDatabase(string server, string name)
    {
        Execute(server, $"CREATE DATABASE {name}");
        var database = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        Execute(database, $$"""
            CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, city text, saldo numeric(12,2), updated_at timestamptz);
            INSERT INTO customers SELECT g, 'cliente ' || g, 'cidade ' || (g % 500), g % 1000, now() FROM generate_series(1, {{Customers}}) g;
            CREATE SEQUENCE next_id START 10000001;
            CREATE FUNCTION bench_changes(n int) RETURNS void LANGUAGE plpgsql AS $f$
            DECLARE r float; k bigint;
            BEGIN
              FOR i IN 1..n LOOP
                r := random(); k := 1 + floor(random() * {{Customers}})::bigint;
                IF r < 0.60 THEN UPDATE customers SET saldo = saldo + 1, city = 'cidade ' || floor(random() * 500), updated_at = clock_timestamp() WHERE id = k;
                ELSIF r < 0.85 THEN INSERT INTO customers VALUES (nextval('next_id'), 'novo', 'cidade 1', 0, clock_timestamp());
                ELSE DELETE FROM customers WHERE id = k;
                END IF;
              END LOOP;
            END $f$;
            """);
        return database;
    }

    private static Project WriteProject(string folder, string database)
    {
        Directory.CreateDirectory(Path.Combine(folder, "sources"));
        Directory.CreateDirectory(Path.Combine(folder, "models", "silver"));
        File.WriteAllText(Path.Combine(folder, "alquimia.yml"), "name: bench\nretries: 0\nduckdb:\n  memory_limit: 2GB\n");
        File.WriteAllText(Path.Combine(folder, "sources", "loja.yml"), $"name: loja\ntype: postgres_cdc\nconnection: \"{database}\"\nslot: {Slot(database)}\npublication: {Slot(database)}\ntables:\n  - name: customers\n");
        const string except = "except_columns: [_op, _seq, _lsn, _commit_ts, _xid, _old, _ingestion_timestamp, _batch_id, _source, _source_file]";
        foreach (var (name, type) in new[] { ("dm_customer_scd1", 1), ("dm_customer_scd2", 2) })
        {
            File.WriteAllText(Path.Combine(folder, "models", "silver", name + ".sql"), $"""
                /* ---
                materialized: apply_changes
                keys: [id]
                sequence_by: _seq
                apply_as_deletes: _op = 'delete'
                stored_as_scd_type: {type}
                {except}
                --- */
                SELECT * FROM bronze.customers WHERE _op <> 'truncate'
                """);
        }

        return ProjectLoader.Load(folder);
    }

    private static string Slot(string database) => "alquimia_" + new NpgsqlConnectionStringBuilder(database).Database;

    private static void Assert(string? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    private static string Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
    }
}
