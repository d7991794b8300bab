using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary><c>tables: all</c> with include and exclude patterns, against a real PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresDiscoveryTests : PostgresProjectTests
{
    public PostgresDiscoveryTests(PostgresServer server)
        : base(server, "name: central\n")
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE tb_chamado (id int4, status text);
            CREATE TABLE tb_cliente (id int4, nome text);
            CREATE TABLE tb_chamado_tmp (id int4);
            CREATE TABLE auditoria (id int4);
            CREATE VIEW tb_chamado_aberto AS SELECT * FROM tb_chamado WHERE status = 'aberto';
            CREATE TABLE tb_evento (id int4, dia date) PARTITION BY RANGE (dia);
            CREATE TABLE tb_evento_2026 PARTITION OF tb_evento FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            INSERT INTO tb_chamado VALUES (1, 'aberto'), (2, 'fechado');
            INSERT INTO tb_cliente VALUES (10, 'Ana');
            INSERT INTO tb_evento VALUES (7, '2026-11-22');
            """);
        Folder.Write("sources/supabase.yml", $"name: supabase\ntype: postgres\nconnection: \"{Database}\"\ntables: all\ninclude: [tb_*]\nexclude: ['*_tmp']\n");
    }

    [Fact]
    public async Task TablesAll_SyncsTheTablesThePatternsAllow_AndFindsNewOnesAtTheNextSync()
    {
        var first = await Runs.RunAsync(Folder.Load(), new RunOptions());

        // Views and partitions are not tables of their own: the partitioned table is read whole through its parent.
        Assert.Equal(["bronze.tb_chamado", "bronze.tb_cliente", "bronze.tb_evento"], first.Steps.Select(step => step.Model).Order(StringComparer.Ordinal));
        Assert.All(first.Steps, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(["tb_chamado:2", "tb_cliente:1", "tb_evento:1"], Query("""
            SELECT 'tb_chamado:' || count(*) FROM bronze.tb_chamado UNION ALL SELECT 'tb_cliente:' || count(*) FROM bronze.tb_cliente
            UNION ALL SELECT 'tb_evento:' || count(*) FROM bronze.tb_evento
            """));

        PostgresServer.Execute(Database, "CREATE TABLE tb_canal (id int4); INSERT INTO tb_canal VALUES (1), (2), (3);");
        var second = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:supabase" });

        Assert.Contains("bronze.tb_canal", second.Steps.Select(step => step.Model));
        Assert.Equal(["3"], Query("SELECT count(*) FROM bronze.tb_canal"));
        Assert.Equal(["0"], Query("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('auditoria', 'tb_chamado_tmp', 'tb_chamado_aberto', 'tb_evento_2026')"));
    }

    [Fact]
    public async Task AModelMayReadADiscoveredTable_WhichIsSyncedBeforeIt()
    {
        Folder.Write("models/silver/tb_chamado.sql", "/* ---\nmaterialized: table\n--- */\nSELECT id, status FROM bronze.tb_chamado\n");

        var project = Folder.Load();
        var summary = await Runs.RunAsync(project, new RunOptions { Selector = "+silver.tb_chamado" });

        Assert.Equal("bronze.tb_chamado", Assert.Single(project.Sources.Single().Tables).BronzeName.ToString());
        Assert.Equal(["bronze.tb_chamado", "silver.tb_chamado"], summary.Steps.Select(step => step.Model));
        Assert.Equal(["1 aberto", "2 fechado"], Query("SELECT id || ' ' || status FROM silver.tb_chamado ORDER BY id"));
    }

    [Fact]
    public async Task ADiscoveredTableReadInAnotherCase_IsExtractedByItsOwnName_AndTwinNamesAreRefused()
    {
        PostgresServer.Execute(Database, "CREATE TABLE \"tb_Atendente\" (id int4); INSERT INTO \"tb_Atendente\" VALUES (1), (2);");
        Folder.Write("models/silver/tb_atendente.sql", "/* ---\nmaterialized: table\n--- */\nSELECT id FROM bronze.tb_atendente\n");

        var summary = await Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "+silver.tb_atendente" });

        Assert.All(summary.Steps, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(["2"], Query("SELECT count(*) FROM silver.tb_atendente"));

        PostgresServer.Execute(Database, "CREATE TABLE \"TB_ATENDENTE\" (id int4);");
        var twins = await Assert.ThrowsAsync<AlquimiaException>(() => Runs.RunAsync(Folder.Load(), new RunOptions()));
        Assert.Equal(
            "Source 'supabase' (supabase.yml:4, tables: all): tables \"TB_ATENDENTE\" and \"tb_Atendente\" of schema public differ only in case, and would share one bronze table. "
            + "Leave it out with an 'exclude' pattern, or list the tables to sync instead of 'tables: all'.",
            twins.Message);
    }

    [Fact]
    public async Task AReplay_FindsTheDiscoveredTablesInTheLake_WithTheDatabaseOutOfReach()
    {
        await Runs.RunAsync(Folder.Load(), new RunOptions());
        var before = Query("SELECT 'tb_chamado:' || count(*) FROM bronze.tb_chamado UNION ALL SELECT 'tb_evento:' || count(*) FROM bronze.tb_evento");
        Folder.Write("sources/supabase.yml", "name: supabase\ntype: postgres\nconnection: \"Host=127.0.0.1;Port=1;Username=alquimia;Database=x\"\ntables: all\ninclude: [tb_*]\nexclude: ['*_tmp']\n");

        var replay = await Runs.RunAsync(Folder.Load(), new RunOptions { Replay = true });

        Assert.Equal(["bronze.tb_chamado", "bronze.tb_cliente", "bronze.tb_evento"], replay.Steps.Select(step => step.Model).Order(StringComparer.Ordinal));
        Assert.All(replay.Steps, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(before, Query("SELECT 'tb_chamado:' || count(*) FROM bronze.tb_chamado UNION ALL SELECT 'tb_evento:' || count(*) FROM bronze.tb_evento"));
    }

    [Fact]
    public async Task ASourceThatCannotBeListed_StopsTheRun_NamingIt()
    {
        Folder.Write("sources/supabase.yml", "name: supabase\ntype: postgres\nconnection: \"Host=127.0.0.1;Port=1;Username=alquimia;Database=x\"\ntables: all\n");

        var error = await Assert.ThrowsAsync<AlquimiaException>(() => Runs.RunAsync(Folder.Load(), new RunOptions()));

        Assert.StartsWith("Source 'supabase' (", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

}
