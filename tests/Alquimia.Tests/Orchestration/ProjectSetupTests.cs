using Alquimia.Orchestration;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Orchestration;

public sealed class ProjectSetupTests : IDisposable
{
    private readonly ProjectFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Setup_CreatesTheEmptyTableOfAModelCallingIsIncremental_AndTheFirstRunAfterItReadsEveryRow()
    {
        _folder
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n    columns:\n      - {name: id_pedido, type: BIGINT}\n      - {name: valor, type: 'DECIMAL(12,2)'}\n")
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10.5\n2,20\n")
            .Write("models/silver/tb_pedido.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: _ingestion_timestamp
                lookback: 1 day
                --- */
                WITH lote AS (SELECT id_pedido FROM bronze.pedidos WHERE _ingestion_timestamp >= watermark_lower_bound())
                SELECT id_pedido, valor, _ingestion_timestamp, is_incremental() AS incremental_build
                FROM bronze.pedidos
                WHERE NOT is_incremental() OR id_pedido IN (SELECT id_pedido FROM lote)
                """);

        var setup = Runs.Setup(_folder.Load());
        var columns = Query("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'tb_pedido' ORDER BY column_index");
        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions());

        Assert.Equal(["bronze.pedidos|Created|", "silver.tb_pedido|Created|"], setup.Items.Select(item => $"{item.Name}|{item.Outcome}|{item.Message}"));
        Assert.Equal(["id_pedido|BIGINT", "valor|DECIMAL(12,2)", "_ingestion_timestamp|TIMESTAMP", "incremental_build|BOOLEAN", "_loaded_at|TIMESTAMP"], columns);
        Assert.True(summary.Succeeded);
        // The table setup created has no watermark yet: the first run merges every row, so it is not incremental.
        Assert.Equal(["1|False", "2|False"], Query("SELECT id_pedido, incremental_build FROM silver.tb_pedido ORDER BY 1"));
    }

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
