using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>A PostgreSQL table that changes between syncs: the next landing file has its new shape, and bronze follows.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresSchemaEvolutionTests : PostgresProjectTests
{
    public PostgresSchemaEvolutionTests(PostgresServer server)
        : base(server, "name: central\nretries: 0\n")
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE chamados (id_chamado int4 PRIMARY KEY, status text, atualizado_em timestamp);
            INSERT INTO chamados VALUES (1, 'aberto', '2026-01-01 10:00');
            """);
    }

    [Fact]
    public async Task AColumnAdded_AppearsInBronze_OldRowsNull()
    {
        WriteSource();
        await Sync();
        PostgresServer.Execute(Database, "ALTER TABLE chamados ADD COLUMN prioridade varchar(10); INSERT INTO chamados VALUES (2, 'aberto', '2026-01-02', 'alta');");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Equal(["1|NULL", "1|NULL", "2|alta"], Query("SELECT id_chamado || '|' || coalesce(prioridade, 'NULL') FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task AColumnDropped_StaysInBronze_NullFromThenOn()
    {
        WriteSource();
        await Sync();
        PostgresServer.Execute(Database, "ALTER TABLE chamados DROP COLUMN status; INSERT INTO chamados VALUES (2, '2026-01-02');");

        await Sync();

        Assert.Equal(["1|NULL", "1|aberto", "2|NULL"], Query("SELECT id_chamado || '|' || coalesce(status, 'NULL') FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task ATypeWidened_IsAppliedToBronze_AndTakesValuesTheOldTypeCouldNot()
    {
        WriteSource();
        await Sync();
        PostgresServer.Execute(Database, "ALTER TABLE chamados ALTER COLUMN id_chamado TYPE int8; INSERT INTO chamados VALUES (9000000000, 'aberto', '2026-01-02');");

        await Sync();

        Assert.Equal(["BIGINT"], Query("SELECT data_type FROM duckdb_columns() WHERE table_name = 'chamados' AND column_name = 'id_chamado'"));
        Assert.Equal(["1", "1", "9000000000"], Query("SELECT id_chamado FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task ATypeNarrowed_FailsNamingTableColumnAndBothTypes_AndLeavesBronzeAndTheLandingFileAsTheyWere()
    {
        PostgresServer.Execute(Database, "ALTER TABLE chamados ALTER COLUMN id_chamado TYPE int8");
        WriteSource();
        await Sync();
        PostgresServer.Execute(Database, "ALTER TABLE chamados ALTER COLUMN id_chamado TYPE int4; INSERT INTO chamados VALUES (2, 'aberto', '2026-01-02');");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Failed, step.Status);
        Assert.StartsWith(
            "Source 'vendas', table bronze.chamados: column 'id_chamado' changed type from BIGINT (bronze) to INTEGER (landing), which bronze cannot be widened to "
            + "without losing values. Nothing was loaded; the files stay pending. Restore the column's type in the source, or, to keep loading it into the wider type, "
            + "declare it in vendas.yml (columns: - {name: id_chamado, type: BIGINT}).",
            step.Error, StringComparison.Ordinal);
        Assert.Equal(["1"], Query("SELECT count(*) FROM bronze.chamados"));
        Assert.Equal(["BIGINT"], Query("SELECT data_type FROM duckdb_columns() WHERE table_name = 'chamados' AND column_name = 'id_chamado'"));
        Assert.Equal(["1"], Query("SELECT count(*) FROM _alquimia.ingested_files"));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas", "chamados"), "*.parquet", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task ATypeNarrowed_LoadsIntoTheWiderType_WhenTheColumnIsDeclared()
    {
        PostgresServer.Execute(Database, "ALTER TABLE chamados ALTER COLUMN id_chamado TYPE int8");
        WriteSource("    columns:\n      - {name: id_chamado, type: BIGINT}\n      - {name: status, type: VARCHAR}\n      - {name: atualizado_em, type: TIMESTAMP}\n");
        await Sync();
        PostgresServer.Execute(Database, "ALTER TABLE chamados ALTER COLUMN id_chamado TYPE int4; INSERT INTO chamados VALUES (2, 'aberto', '2026-01-02');");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Equal(["1", "1", "2"], Query("SELECT id_chamado FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task Fail_AColumnAdded_FailsTheSync_UntilThePolicyAllowsIt()
    {
        WriteSource(evolution: "fail");
        await Sync();
        PostgresServer.Execute(Database, "ALTER TABLE chamados ADD COLUMN prioridade text");

        var failed = (await Sync()).Steps.Single();
        WriteSource();
        var allowed = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith("Source 'vendas', table bronze.chamados: the landing files bring a new column 'prioridade' (VARCHAR), and vendas.yml says schema_evolution: fail.", failed.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, allowed.Status);
        // The file that failed and the new sync's both load.
        Assert.Equal(["3|3"], Query("SELECT count(*) || '|' || count(*) FILTER (WHERE prioridade IS NULL) FROM bronze.chamados"));
    }

    [Fact]
    public async Task Ignore_AColumnAdded_StaysOutOfBronze_ButInTheLandingFile()
    {
        WriteSource(evolution: "ignore");
        await Sync();
        PostgresServer.Execute(Database, "ALTER TABLE chamados ADD COLUMN prioridade text; INSERT INTO chamados VALUES (2, 'aberto', '2026-01-02', 'alta');");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Empty(Query("SELECT 1 FROM duckdb_columns() WHERE table_name = 'chamados' AND column_name = 'prioridade'"));
        var landed = Directory.GetFiles(Path.Combine(Folder.Path, "lake", "landing", "vendas", "chamados"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        Assert.Equal(["NULL", "alta"], Query($"SELECT coalesce(prioridade, 'NULL') FROM read_parquet('{landed}') ORDER BY 1"));
    }

    [Fact]
    public async Task IgnoreOnAnIncrementalTable_DoesNotLandTheBoundaryRowAgain_AtEverySync()
    {
        WriteSource(table: "    mode: incremental\n    cursor: atualizado_em\n", evolution: "ignore");
        await Sync();
        // Bronze never gets prioridade: the boundary row, whose prioridade is not NULL, is still the row bronze has.
        PostgresServer.Execute(Database, "ALTER TABLE chamados ADD COLUMN prioridade text; INSERT INTO chamados VALUES (2, 'aberto', '2026-01-01 10:00', 'alta');");

        var second = (await Sync()).Steps.Single();
        var third = (await Sync()).Steps.Single();
        var fourth = (await Sync()).Steps.Single();

        Assert.Equal((1L, 0L, 0L), (second.RowsInserted, third.RowsInserted, fourth.RowsInserted));
        Assert.Equal(["1", "2"], Query("SELECT id_chamado FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task Incremental_AColumnAddedAtTheLastCursor_IsComparedWithTheLandedRowsWithoutIt()
    {
        WriteSource(table: "    mode: incremental\n    cursor: atualizado_em\n");
        await Sync();
        // Row 1 is read again at the boundary: with the new column NULL it is the row bronze has; row 2 is new.
        PostgresServer.Execute(Database, "ALTER TABLE chamados ADD COLUMN prioridade text; INSERT INTO chamados VALUES (2, 'aberto', '2026-01-01 10:00', 'alta');");

        var step = (await Sync()).Steps.Single();

        Assert.Equal(RunStatus.Succeeded, step.Status);
        Assert.Equal(1, step.RowsInserted);
        Assert.Equal(["1|NULL", "2|alta"], Query("SELECT id_chamado || '|' || coalesce(prioridade, 'NULL') FROM bronze.chamados ORDER BY 1"));
    }

    private void WriteSource(string table = "", string evolution = "add_columns") =>
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\nschema_evolution: {evolution}\ntables:\n  - name: chamados\n{table}");

    private Task<RunSummary> Sync() => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" });

}
