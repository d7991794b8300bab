using Alquimia.Warehouse.DuckDb;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Ingestion.Landing;

public sealed class LandingLoaderTests : IDisposable
{
    private const string Pedidos = "lake/landing/loja/pedidos";

    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public LandingLoaderTests()
    {
        _folder
            .Write("alquimia.yml", "name: loja\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n")
            .Write($"{Pedidos}/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10\n2,20\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Ingest_AppendsEachFileOnce_WithIngestionMetadata()
    {
        await Ingest();
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n3,30\n");

        var second = await Ingest();
        await Ingest();

        Assert.Equal(1, second.Steps.Single().RowsInserted);
        Assert.Equal(["1|loja", "2|loja", "3|loja"], Query("SELECT id_pedido, _source FROM bronze.pedidos ORDER BY 1"));
        // One stamp per row, a microsecond apart within a batch, in file and line order; the second batch after the first.
        Assert.Equal(["1|NULL", "2|1", "3|NULL"], Query("""
            SELECT id_pedido, CASE WHEN _batch_id = lag(_batch_id) OVER w THEN epoch_us(_ingestion_timestamp) - epoch_us(lag(_ingestion_timestamp) OVER w) END
            FROM bronze.pedidos WINDOW w AS (ORDER BY _ingestion_timestamp) ORDER BY _ingestion_timestamp
            """));
        Assert.Equal(["landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "landing/loja/pedidos/ingestion_date=2026-01-02/b.csv"],
            Query("SELECT path FROM _alquimia.ingested_files ORDER BY path"));
    }

    [Fact]
    public async Task Ingest_FilesLandedTogether_AreStampedInPathOrder()
    {
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n1,11\n");

        await Ingest();

        // The later file's version of pedido 1 is the later one by _ingestion_timestamp, as if the files had come in two runs.
        Assert.Equal(["11", "10"], Query("SELECT valor FROM bronze.pedidos WHERE id_pedido = 1 ORDER BY _ingestion_timestamp DESC"));
    }

    [Fact]
    public async Task SourceColumnsNamedLikeTheReadersOwn_Load_AndFilesAreStillStampedInPathOrder()
    {
        // DuckDB's readers have a filename and a file_index column of their own; a source's columns may have those names.
        _folder.Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n  - name: anexos\n    columns:\n      - {name: filename, type: VARCHAR}\n      - {name: file_index, type: BIGINT}\n");
        _folder.Write("lake/landing/loja/anexos/ingestion_date=2026-01-01/a.csv", "filename,file_index\nnota.pdf,7\n");
        _folder.Write("lake/landing/loja/anexos/ingestion_date=2026-01-02/b.csv", "filename,file_index\nnota.pdf,8\n");
        _folder.Write("sources/arquivos.yml", "name: arquivos\nformat: parquet\ntables:\n  - name: eventos\n");
        var eventos = Path.Combine(_folder.Path, "lake", "landing", "arquivos", "eventos");
        Directory.CreateDirectory(eventos);
        using (var connection = new CheckedConnection("Data Source=:memory:"))
        {
            connection.Open();
            connection.Execute($"COPY (SELECT 'primeiro' AS evento, 5 AS file_index) TO '{Path.Combine(eventos, "a.parquet")}'");
            connection.Execute($"COPY (SELECT 'segundo' AS evento, 6 AS file_index) TO '{Path.Combine(eventos, "b.parquet")}'");
        }

        var summary = await Runs.RunAsync(_folder.Load(), new RunOptions());

        Assert.Equal(3, summary.Steps.Count);
        Assert.All(summary.Steps, step => Assert.Equal(RunStatus.Succeeded, step.Status));
        Assert.Equal(["nota.pdf|8", "nota.pdf|7"], Query("SELECT filename || '|' || file_index FROM bronze.anexos ORDER BY _ingestion_timestamp DESC"));
        Assert.Equal(["segundo|6", "primeiro|5"], Query("SELECT evento || '|' || file_index FROM bronze.eventos ORDER BY _ingestion_timestamp DESC"));
    }

    [Fact]
    public async Task Ingest_AFileThatChanged_IsLoadedAgain_AndAMovedProjectIsNot()
    {
        await Ingest();
        var moved = _folder.Path + "-moved";
        Directory.Move(_folder.Path, moved);
        try
        {
            var afterMove = await Runs.RunAsync(ProjectLoader.Load(moved), new RunOptions());
            Assert.Equal(0, afterMove.Steps.Single().RowsInserted);

            File.AppendAllText(Path.Combine(moved, Pedidos, "ingestion_date=2026-01-01", "a.csv"), "4,40\n");
            var afterChange = await Runs.RunAsync(ProjectLoader.Load(moved), new RunOptions());
            Assert.Equal(3, afterChange.Steps.Single().RowsInserted);
        }
        finally
        {
            Directory.Move(moved, _folder.Path);
        }
    }

    [Fact]
    public async Task Ingest_NewColumnsInLaterFiles_AreAddedToBronze_OldRowsNull()
    {
        await Ingest();
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-02/b.csv", "id_pedido,valor,cupom\n3,30,NATAL\n");

        await Ingest();

        Assert.Equal(["1|NULL", "2|NULL", "3|NATAL"], Query("SELECT id_pedido, coalesce(cupom, 'NULL') FROM bronze.pedidos ORDER BY 1"));
    }

    [Fact]
    public void Setup_CreatesDeclaredBronzeAndEveryModelEmpty_AndOnRerunOnlyWhatIsNew()
    {
        _folder
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n    columns:\n      - {name: id_pedido, type: BIGINT}\n      - {name: valor, type: 'DECIMAL(12,2)'}\n")
            .Write("models/silver/tb_pedido.sql", "/* ---\nmaterialized: incremental\nunique_key: id_pedido\nwatermark: _ingestion_timestamp\n--- */\nSELECT * FROM bronze.pedidos")
            .Write("models/curated/vw_pedidos.sql", "/* ---\nmaterialized: view\n--- */\nSELECT id_pedido FROM silver.tb_pedido");

        var first = Runs.Setup(_folder.Load());
        _folder.Write("models/gold/ft_total.sql", "SELECT sum(valor) AS total FROM silver.tb_pedido");
        var second = Runs.Setup(_folder.Load());

        Assert.Equal(["bronze.pedidos|Created", "silver.tb_pedido|Created", "curated.vw_pedidos|Created"], first.Items.Select(item => $"{item.Name}|{item.Outcome}"));
        Assert.Equal(["bronze.pedidos|Existed", "silver.tb_pedido|Existed", "curated.vw_pedidos|Existed", "gold.ft_total|Created"],
            second.Items.Select(item => $"{item.Name}|{item.Outcome}").OrderBy(item => item.StartsWith("gold", StringComparison.Ordinal)));
        Assert.Equal(["0|0"], Query("SELECT (SELECT count(*) FROM bronze.pedidos), (SELECT count(*) FROM silver.tb_pedido)"));
        Assert.Equal(["DECIMAL(12,2)"], Query("SELECT data_type FROM duckdb_columns() WHERE table_name = 'tb_pedido' AND column_name = 'valor'"));
    }

    private Task<RunSummary> Ingest() => Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "source:loja" });

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
