using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>
/// An incremental table's cursor is stored in <c>_alquimia.source_cursors</c> with the batch it ends, and the next sync
/// starts from it, not from what bronze holds: a position in a change log could never be read back from bronze.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCursorTests : PostgresProjectTests
{
    private const string Cursors = "SELECT source || '|' || table_name || '|' || kind || '|' || column_name || '|' || value || '|' || value_type FROM _alquimia.source_cursors";

    public PostgresCursorTests(PostgresServer server)
        : base(server, "name: central\n")
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE chamados (id_chamado int8 PRIMARY KEY, status text, atualizado_em timestamp);
            INSERT INTO chamados VALUES (1, 'aberto', '2026-01-01 10:00'), (2, 'aberto', '2026-01-01 11:00');
            """);
        WriteSource("mode: incremental\n    cursor: atualizado_em");
    }

    [Fact]
    public async Task AnIncrementalSync_StoresTheHighestValueItLanded_InTheStepsTransaction()
    {
        var first = await Sync();

        Assert.Equal(["vendas|chamados|value|atualizado_em|2026-01-01 11:00:00|TIMESTAMP"], Query(Cursors));
        Assert.Equal([first.Run.RunId], Query("SELECT run_id FROM _alquimia.source_cursors"));
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', '2026-01-02 09:30')");
        await Sync();
        Assert.Equal(["vendas|chamados|value|atualizado_em|2026-01-02 09:30:00|TIMESTAMP"], Query(Cursors));
    }

    [Fact]
    public async Task TheNextSync_StartsFromTheStoredCursor_NotFromTheHighestValueInBronze()
    {
        await Sync();
        // Moved ahead by hand: a sync that read bronze's max would land row 3 again.
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', '2026-01-01 12:00'), (4, 'aberto', '2026-01-01 14:00')");
        Execute("UPDATE _alquimia.source_cursors SET value = '2026-01-01 13:00:00'");

        var next = await Sync();

        Assert.Equal(1L, next.Steps.Single().RowsInserted);
        Assert.Equal(["1", "2", "4"], Query("SELECT id_chamado FROM bronze.chamados ORDER BY 1"));
    }

    [Fact]
    public async Task AWarehouseWithoutAStoredCursor_ResumesFromBronzesHighestValue_AndStoresIt()
    {
        await Sync();
        Execute("DELETE FROM _alquimia.source_cursors");
        PostgresServer.Execute(Database, "INSERT INTO chamados VALUES (3, 'aberto', '2026-01-01 12:00')");

        var next = await Sync();

        Assert.Equal(1L, next.Steps.Single().RowsInserted);
        Assert.Equal(["1", "2", "3"], Query("SELECT id_chamado FROM bronze.chamados ORDER BY 1"));
        Assert.Equal(["vendas|chamados|value|atualizado_em|2026-01-01 12:00:00|TIMESTAMP"], Query(Cursors));
    }

    [Fact]
    public async Task ATableMadeFullRefresh_ForgetsItsCursor()
    {
        await Sync();
        WriteSource("mode: full_refresh");

        await Sync();

        Assert.Empty(Query(Cursors));
    }

    private void WriteSource(string table) =>
        Folder.Write("sources/vendas.yml", $"name: vendas\ntype: postgres\nconnection: \"{Database}\"\ntables:\n  - name: chamados\n    {table}\n    primary_key: [id_chamado]\n");

    private void Execute(string sql)
    {
        using var connection = new Alquimia.Warehouse.DuckDb.CheckedConnection($"Data Source={Folder.Load().WarehousePath}");
        connection.Open();
        Alquimia.Warehouse.DuckDb.ConnectionExtensions.Execute(connection, sql);
    }

    private Task<RunSummary> Sync() => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:vendas" });
}
