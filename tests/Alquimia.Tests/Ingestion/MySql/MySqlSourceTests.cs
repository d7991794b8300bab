using Alquimia.Ingestion.MySql;
using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;
using MySqlConnector;

namespace Alquimia.Tests.Ingestion.MySql;

/// <summary>
/// A MySQL source as a whole, against the real server: <c>tables: all</c> with include and exclude patterns, TLS
/// required of a server without it, and how the run's snapshots are opened for a user who may or may not lock.
/// </summary>
[Collection(MariaDbTests.Name)]
public sealed class MySqlSourceTests : MariaDbProjectTests
{
    public MySqlSourceTests(MariaDbServer server)
        : base(server, "name: radar\nretries: 0\n")
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE store (id INT PRIMARY KEY, nome VARCHAR(20));
            CREATE TABLE store_metrics (id INT, vendas DECIMAL(12,2));
            CREATE TABLE store_tmp (id INT);
            CREATE TABLE auditoria (id INT);
            CREATE VIEW store_aberta AS SELECT * FROM store;
            INSERT INTO store VALUES (1, 'Farmácia Central'), (2, 'Drogaria 😀');
            INSERT INTO store_metrics VALUES (1, 10.50), (2, 0.01), (2, 99.99);
            """);
    }

    private string DatabaseName => new MySqlConnectionStringBuilder(Database).Database;

    [Fact]
    public async Task TablesAll_SyncsTheTablesThePatternsAllow_NotViews_AndFindsNewOnes()
    {
        Folder.Write("sources/radar.yml", $"name: radar\ntype: mysql\nconnection: \"{Database}\"\ntables: all\ninclude: [store*]\nexclude: ['*_tmp']\n");

        var first = await Runs.RunAsync(Folder.Load(), new RunOptions());

        Assert.Equal(["bronze.store", "bronze.store_metrics"], first.Steps.Select(step => step.Model).Order(StringComparer.Ordinal));
        Assert.All(first.Steps, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(["store:2", "store_metrics:3"], Query("SELECT 'store:' || count(*) FROM bronze.store UNION ALL SELECT 'store_metrics:' || count(*) FROM bronze.store_metrics"));

        MariaDbServer.Execute(Database, "CREATE TABLE store_document (id INT); INSERT INTO store_document VALUES (1), (2), (3)");
        var second = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:radar" });

        Assert.Contains("bronze.store_document", second.Steps.Select(step => step.Model));
        Assert.Equal(["3"], Query("SELECT count(*) FROM bronze.store_document"));
        Assert.Equal(["0"], Query("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('auditoria', 'store_tmp', 'store_aberta')"));
    }

    /// <summary>
    /// Seed 003's "every expected table present": a table synced before that the database no longer has fails its
    /// step by name (and the run with it), where tables: all would otherwise just stop syncing it; the others land.
    /// Excluded, it is no longer expected.
    /// </summary>
    [Fact]
    public async Task TablesAll_ATableSyncedBeforeThatIsGone_FailsItsStepByName_UntilExcluded()
    {
        Folder.Write("sources/radar.yml", $"name: radar\ntype: mysql\nconnection: \"{Database}\"\ntables: all\ninclude: [store*]\nexclude: ['*_tmp']\n");
        Assert.True((await Runs.RunAsync(Folder.Load(), new RunOptions())).Succeeded);
        MariaDbServer.Execute(Database, "DROP TABLE store_metrics; INSERT INTO store VALUES (3, 'Nova')");

        var gone = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:radar" });

        Assert.False(gone.Succeeded);
        var step = gone.Steps.Single(step => step.Model == "bronze.store_metrics");
        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.Contains($"table {DatabaseName}.store_metrics does not exist in ", step.Error, StringComparison.Ordinal);
        Assert.EndsWith("It was synced before (tables: all found its landing folder): if it was dropped on purpose, add it to the source's exclude; its bronze and landing stay.", step.Error, StringComparison.Ordinal);
        var store = gone.Steps.Single(step => step.Model == "bronze.store");
        Assert.Equal((RunStatus.Succeeded, 3L), (store.Status, store.RowsInserted));

        Folder.Write("sources/radar.yml", $"name: radar\ntype: mysql\nconnection: \"{Database}\"\ntables: all\ninclude: [store*]\nexclude: ['*_tmp', store_metrics]\n");
        var excluded = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:radar" });

        Assert.True(excluded.Succeeded);
        Assert.Equal(["bronze.store"], excluded.Steps.Select(step => step.Model));
        Assert.Equal(["3"], Query("SELECT count(*) FROM bronze.store_metrics"));
    }

    [Fact]
    public async Task TlsRequired_OfAServerWithoutTls_FailsNamingTheSourceTheServerAndTheFix()
    {
        WriteSource(Tables("store"), "ssl_mode: required\n");

        var step = (await Sync())["store"];

        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.StartsWith($"Source 'vendas' (127.0.0.1:", step.Error, StringComparison.Ordinal);
        Assert.Contains($"/{DatabaseName} as alquimia): ", step.Error, StringComparison.Ordinal);
        Assert.EndsWith(
            "The source's ssl_mode asks for TLS, which the server does not offer: enable TLS on the server (ssl_cert, ssl_key), or set ssl_mode: preferred to connect without it.",
            step.Error,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Password", step.Error, StringComparison.OrdinalIgnoreCase);

        WriteSource(Tables("store"), "ssl_mode: preferred\n");
        Assert.Equal(RunStatus.Succeeded, (await Sync())["store"].Status);
    }

    [Fact]
    public async Task AUserWhoCannotLock_ReadsParallelTablesFromSnapshotsOpenedOneAfterTheOther_AndTheStepsSaySo()
    {
        var reader = ReadOnlyUser();
        WriteSourceAs(reader, "parallel: 2\n");

        var auto = await Sync();

        Assert.All(auto.Values, step => Assert.Equal(RunStatus.Warning, step.Status));
        Assert.Contains("store: the source's 2 connections opened their snapshots one after the other, milliseconds apart, as the server refused FLUSH TABLES WITH READ LOCK (1227: ",
            auto["store"].Warning, StringComparison.Ordinal);
        Assert.Equal(["store:2", "store_metrics:3"], Query("SELECT 'store:' || count(*) FROM bronze.store UNION ALL SELECT 'store_metrics:' || count(*) FROM bronze.store_metrics"));

        // One connection reads every table from its one snapshot: nothing to lock, nothing to say.
        WriteSourceAs(reader, "parallel: 1\n");
        Assert.All((await Sync()).Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        WriteSourceAs(reader, "parallel: 2\nsnapshot: unlocked\n");
        Assert.All((await Sync()).Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));

        WriteSourceAs(reader, "parallel: 2\nsnapshot: locked\n");
        var locked = await Sync();

        Assert.All(locked.Values, step => Assert.Equal(RunStatus.Failed, step.Status));
        Assert.Contains("snapshot: locked needs FLUSH TABLES WITH READ LOCK, which the server refused (1227: ", locked["store"].Error, StringComparison.Ordinal);
        Assert.EndsWith("Grant the user RELOAD, or set snapshot: auto or unlocked.", locked["store"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserWhoMayLock_OpensEveryConnectionsSnapshotUnderTheLock_WithoutAWarning()
    {
        WriteSource(Tables("store", "store_metrics"), "parallel: 2\nsnapshot: locked\n");

        var steps = await Sync();

        Assert.All(steps.Values, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(["1|Farmácia Central", "2|Drogaria 😀"], Query("SELECT id || '|' || nome FROM bronze.store ORDER BY id"));
        // The lock is released once the snapshots are open: writes go on.
        MariaDbServer.Execute(Database, "INSERT INTO store VALUES (3, 'Nova')");
        Assert.Equal(3L, (await Sync())["store"].RowsInserted);
    }

    [Fact]
    public async Task ALargeTable_StreamsIntoParts_PublishedTogether_EveryRowOnce()
    {
        MariaDbServer.Execute(Database, "CREATE TABLE grande (id INT PRIMARY KEY, nota VARCHAR(60)); INSERT INTO grande SELECT seq, REPEAT('x', 50) FROM seq_1_to_3000");
        WriteSource(Tables("grande"));
        var (partBytes, rowGroupRows) = (Alquimia.Ingestion.MySql.MySqlExtractor.PartBytes, Alquimia.Ingestion.MySql.MySqlExtractor.RowGroupRows);
        Alquimia.Ingestion.MySql.MySqlExtractor.PartBytes = 20_000;
        Alquimia.Ingestion.MySql.MySqlExtractor.RowGroupRows = 100;
        try
        {
            Assert.Equal(RunStatus.Succeeded, (await Sync())["grande"].Status);
        }
        finally
        {
            (Alquimia.Ingestion.MySql.MySqlExtractor.PartBytes, Alquimia.Ingestion.MySql.MySqlExtractor.RowGroupRows) = (partBytes, rowGroupRows);
        }

        // About 52 characters a row: a part every 400 rows (20,000 characters, rounded up to whole groups of 100).
        var parts = Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas", "grande"), "*.parquet", SearchOption.AllDirectories);
        Assert.Equal(8, parts.Length);
        Assert.All(parts, part => Assert.StartsWith("part-", Path.GetFileName(part), StringComparison.Ordinal));
        Assert.Equal(["3000|3000|1|3000"], Query("SELECT count(*) || '|' || count(DISTINCT id) || '|' || min(id) || '|' || max(id) FROM bronze.grande"));
    }

    /// <summary>
    /// Seed 003's "row count the source reported": a table without snapshots (MyISAM) that changes between its count and
    /// its read fails its step, naming the table, both counts and the fix, and nothing of its sync is kept; InnoDB's
    /// snapshot keeps the rows another connection adds then out of the sync, which succeeds.
    /// </summary>
    [Fact]
    public async Task AFullRefresh_ThatReadsOtherRowsThanItsSnapshotCounted_FailsByName_AndKeepsNothing()
    {
        MariaDbServer.Execute(Database, """
            CREATE TABLE caixa (id INT PRIMARY KEY) ENGINE = MyISAM; INSERT INTO caixa VALUES (1), (2);
            CREATE TABLE venda (id INT PRIMARY KEY) ENGINE = InnoDB; INSERT INTO venda VALUES (1), (2);
            """);
        WriteSource(Tables("caixa", "venda"));
        MySqlExtractor.Counted = table => MariaDbServer.Execute(Database, $"INSERT INTO {table} VALUES (3)");
        Dictionary<string, ModelRunRecord> steps;
        try
        {
            steps = await Sync();
        }
        finally
        {
            MySqlExtractor.Counted = null;
        }

        Assert.Equal(RunStatus.Failed, steps["caixa"].Status);
        Assert.Contains($"table {DatabaseName}.caixa holds 2 rows in this sync's snapshot, but 3 were read and landed", steps["caixa"].Error, StringComparison.Ordinal);
        Assert.Contains("convert it to InnoDB", steps["caixa"].Error, StringComparison.Ordinal);
        var landing = Path.Combine(Folder.Path, "lake", "landing", "vendas", "caixa");
        Assert.Empty(Directory.Exists(landing) ? Directory.EnumerateFiles(landing, "*.parquet", SearchOption.AllDirectories) : []);
        Assert.Equal(["0"], Query("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'caixa'"));
        Assert.Equal(RunStatus.Succeeded, steps["venda"].Status);
        Assert.Equal(["2"], Query("SELECT count(*) FROM bronze.venda"));
    }

    /// <summary>A user who may only read the class's database: no RELOAD, so no FLUSH TABLES WITH READ LOCK.</summary>
    private string ReadOnlyUser()
    {
        var user = $"leitor_{DatabaseName}";
        MariaDbServer.Execute(Server.ConnectionString, $"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'leitor'; GRANT SELECT ON {DatabaseName}.* TO '{user}'@'127.0.0.1'");
        return new MySqlConnectionStringBuilder(Database) { UserID = user, Password = "leitor" }.ConnectionString;
    }

    private void WriteSourceAs(string connection, string keys) =>
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: mysql\nconnection: \"{connection}\"\n{keys}tables:\n{Tables("store", "store_metrics")}");
}
