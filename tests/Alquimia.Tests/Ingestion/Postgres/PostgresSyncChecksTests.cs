using Alquimia.Orchestration;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Postgres;

/// <summary>The checks after each sync of a PostgreSQL source: by mode, against the previous sync.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresSyncChecksTests : PostgresProjectTests
{
    public PostgresSyncChecksTests(PostgresServer server)
        : base(server, "name: radar\n")
    {
    }

    [Fact]
    public async Task FullRefreshTables_ThatComeBackEmptyOrFallPastMaxRowDrop_AreWarned_AnIncrementalTableWithNothingNewIsNot()
    {
        PostgresServer.Execute(Database, """
            CREATE TABLE store (id_store int8, nome text);
            CREATE TABLE store_metrics (id_store int8, vendas int8);
            CREATE TABLE voucher (id_voucher int8, criado_em timestamp);
            INSERT INTO store SELECT g, 'loja ' || g FROM generate_series(1, 3) g;
            INSERT INTO store_metrics SELECT g, g * 10 FROM generate_series(1, 10) g;
            INSERT INTO voucher VALUES (1, '2026-01-01 10:00'), (2, '2026-01-01 11:00');
            """);
        Folder.Write("sources/radar.yml", $"""
            name: radar
            type: postgres
            connection: "{Database}"
            checks:
              max_row_drop: 0.5
            tables:
              - name: store
              - name: store_metrics
              - name: voucher
                mode: incremental
                cursor: criado_em
            """);
        var first = await Sync();
        PostgresServer.Execute(Database, "DELETE FROM store; DELETE FROM store_metrics WHERE id_store > 4;");

        var second = await Sync();

        Assert.True(first.Succeeded);
        Assert.Equal(
            ["bronze.store_metrics|Warning", "bronze.store|Warning", "bronze.voucher|Succeeded"],
            second.Steps.Select(step => $"{step.Model}|{step.Status}").Order(StringComparer.Ordinal));
        Assert.Equal($"store: came back empty, when its previous sync (run {first.Run.RunId}) had 3 rows", Warning(second, "bronze.store"));
        Assert.Equal($"store_metrics: 4 rows, 60% fewer than the 10 of its previous sync (run {first.Run.RunId}); max_row_drop is 0.5", Warning(second, "bronze.store_metrics"));
        Assert.Equal(
            ["store|full_refresh|0|0|1|empty", "store_metrics|full_refresh|4|4|1|row_drop", "voucher|incremental|0|0|0|"],
            Query($"SELECT table_name, mode, rows_landed, rows_loaded, files, array_to_string(checks, ',') FROM _alquimia.source_syncs WHERE run_id = '{second.Run.RunId}' ORDER BY table_name"));
    }

    private static string? Warning(RunSummary summary, string step) => summary.Steps.Single(candidate => candidate.Model == step).Warning;

    private Task<RunSummary> Sync() => Runs.RunAsync(Folder.Load(), new RunOptions { Selector = "source:radar" });

}
