using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Materializations.ApplyChanges;

/// <summary>
/// A real crash of the CLI (Environment.FailFast) after an apply_changes model applied its batch but before it
/// committed: its table, its state and its watermark must be as before, and the next run must apply the batch once.
/// Seed 002's shape: customer changes landing as files with an operation column.
/// </summary>
public sealed class ApplyChangesCrashTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public ApplyChangesCrashTests()
    {
        _folder
            .Write("alquimia.yml", "name: ecommerce\nmax_parallelism: 1\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: customers_cdc\n")
            .Write("lake/landing/loja/customers_cdc/ingestion_date=2026-01-01/a.csv",
                "id_cliente,nome,cidade,operation,sequence_num\n1,Ana,Recife,INSERT,1\n2,Bruno,Natal,INSERT,2\n")
            .Write("models/gold/dm_customer.sql", """
                /* ---
                materialized: apply_changes
                keys: [id_cliente]
                sequence_by: sequence_num
                apply_as_deletes: operation = 'DELETE'
                stored_as_scd_type: 2
                except_columns: [operation, sequence_num, _ingestion_timestamp]
                --- */
                SELECT id_cliente, nome, cidade, operation, sequence_num, _ingestion_timestamp FROM bronze.customers_cdc
                """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CrashBeforeTheApplyCommits_LeavesTableStateAndWatermarkAsBefore_AndTheNextRunAppliesTheBatchOnce()
    {
        var first = await Run();
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var before = Snapshot();
        // Two versions, their two state rows, the watermark.
        Assert.Equal(5, before.Count);
        _folder.Write("lake/landing/loja/customers_cdc/ingestion_date=2026-01-02/b.csv",
            "id_cliente,nome,cidade,operation,sequence_num\n1,Ana,Salvador,UPDATE,3\n2,,,DELETE,4\n3,Caio,Olinda,INSERT,5\n");

        var crashed = await Run(crashBefore: "gold.dm_customer");

        Assert.NotEqual(0, crashed.ExitCode);
        Assert.Contains("crashing before gold.dm_customer commits", crashed.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());

        var next = await Run();

        Assert.True(next.ExitCode == 0, next.Output + next.Error);
        Assert.Equal(
            ["1|Ana|Recife|1|3", "1|Ana|Salvador|3|NULL", "2|Bruno|Natal|2|4", "3|Caio|Olinda|5|NULL"],
            Query("SELECT id_cliente, nome, cidade, __START_AT, __END_AT FROM gold.dm_customer ORDER BY id_cliente, __START_AT"));
    }

    /// <summary>The model's versions, its state and its watermark, as one list to compare.</summary>
    private List<string> Snapshot() =>
    [
        .. Query("SELECT id_cliente, nome, cidade, __START_AT, __END_AT FROM gold.dm_customer ORDER BY ALL"),
        .. Query("SELECT * FROM _alquimia.apply_changes__gold__dm_customer ORDER BY ALL"),
        .. Query("SELECT column_name, value FROM _alquimia.watermarks WHERE model = 'gold.dm_customer' ORDER BY ALL"),
    ];

    private Task<CliResult> Run(string? crashBefore = null) =>
        CliProcess.RunAsync(
            ["run", "--project", _folder.Path],
            environment: crashBefore is null ? null : new Dictionary<string, string> { ["ALQUIMIA_CRASH_BEFORE_COMMIT"] = crashBefore });

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
