using Alquimia.Ingestion.Landing;
using Alquimia.Ingestion;
using Alquimia.Orchestration;
using Alquimia.Warehouse;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Ingestion.Landing;

/// <summary>A files source whose files change shape: schema_evolution, rescued data and rejected files.</summary>
public sealed class SchemaEvolutionTests : IDisposable
{
    private const string Pedidos = "lake/landing/loja/pedidos";

    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public SchemaEvolutionTests()
    {
        _folder.Write("alquimia.yml", "name: loja\nretries: 0\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Csv_ValuesThatDoNotFitTheirColumn_GoToRescuedData_AndTheBatchLoads()
    {
        WriteSource("csv");
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10\n2,20\n");
        await Ingest();
        _folder.Write($"{Pedidos}/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n3,abc\n4,1.5\n5,40\n");

        var summary = await Ingest();

        Assert.Equal(RunStatus.Succeeded, summary.Steps.Single().Status);
        Assert.Equal(["BIGINT"], Query("SELECT data_type FROM duckdb_columns() WHERE table_name = 'pedidos' AND column_name = 'valor'"));
        Assert.Equal(
            ["1|10|NULL", "2|20|NULL", "3|NULL|abc", "4|NULL|1.5", "5|40|NULL"],
            Query("SELECT id_pedido, valor, coalesce(_rescued_data->>'valor', 'NULL') FROM bronze.pedidos ORDER BY 1"));
        Assert.EndsWith("ingestion_date=2026-01-02/b.csv", Query("SELECT _rescued_data->>'_file_path' FROM bronze.pedidos WHERE id_pedido = 3").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ValuesThatDoNotFit_AreRescuedAsTheirJson_AndStringsLandUnquoted()
    {
        WriteSource("json");
        _folder.Write($"{Pedidos}/a.json", "{\"id_pedido\": 1, \"valor\": 10, \"cliente\": \"Ana\"}\n");
        await Ingest();
        _folder.Write($"{Pedidos}/b.json", "{\"id_pedido\": 2, \"valor\": \"dez\", \"cliente\": \"Bia\"}\n{\"id_pedido\": 3, \"valor\": {\"reais\": 3}, \"cliente\": 7}\n");

        await Ingest();

        Assert.Equal(
            ["1|10|Ana|NULL", "2|NULL|Bia|\"dez\"", "3|NULL|7|{\"reais\":3}"],
            Query("SELECT id_pedido, valor, cliente, coalesce((_rescued_data->'valor')::VARCHAR, 'NULL') FROM bronze.pedidos ORDER BY 1"));
    }

    [Fact]
    public async Task AddColumns_NewColumnsAppear_OldRowsNull_AndADroppedColumnStaysNullFromThenOn()
    {
        WriteSource("csv");
        _folder.Write($"{Pedidos}/a.csv", "id_pedido,valor\n1,10\n");
        await Ingest();
        _folder.Write($"{Pedidos}/b.csv", "id_pedido,cupom\n2,NATAL\n");

        await Ingest();

        Assert.Equal(["1|10|NULL", "2|NULL|NATAL"], Query("SELECT id_pedido, coalesce(valor::VARCHAR, 'NULL'), coalesce(cupom, 'NULL') FROM bronze.pedidos ORDER BY 1"));
    }

    [Fact]
    public async Task Ignore_KeepsBronzesColumns_RescuesTheNewOnes_AndLeavesTheLandingFileWhole()
    {
        WriteSource("csv", "schema_evolution: ignore\n");
        _folder.Write($"{Pedidos}/a.csv", "id_pedido,valor\n1,10\n");
        await Ingest();
        _folder.Write($"{Pedidos}/b.csv", "id_pedido,valor,cupom\n2,20,NATAL\n3,30,\n");

        var summary = await Ingest();

        Assert.Equal(2, summary.Steps.Single().RowsInserted);
        Assert.Empty(Query("SELECT 1 FROM duckdb_columns() WHERE table_name = 'pedidos' AND column_name = 'cupom'"));
        Assert.Equal(["1|NULL", "2|NATAL", "3|NULL"], Query("SELECT id_pedido, coalesce(_rescued_data->>'cupom', 'NULL') FROM bronze.pedidos ORDER BY 1"));
        Assert.Equal("id_pedido,valor,cupom\n2,20,NATAL\n3,30,\n", File.ReadAllText(Path.Combine(_folder.Path, Pedidos, "b.csv")));
    }

    [Fact]
    public async Task Fail_ANewColumn_FailsTheStepNamingIt_LoadsNothing_AndTheFileStaysPending()
    {
        WriteSource("csv", "schema_evolution: fail\n");
        _folder.Write($"{Pedidos}/a.csv", "id_pedido,valor\n1,10\n");
        await Ingest();
        _folder.Write($"{Pedidos}/b.csv", "id_pedido,valor,cupom\n2,20,NATAL\n");

        var failed = (await Ingest()).Steps.Single();
        WriteSource("csv");
        var retried = (await Ingest()).Steps.Single();

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith(
            "Source 'loja', table bronze.pedidos: the landing files bring a new column 'cupom' (VARCHAR), and loja.yml says schema_evolution: fail. "
            + "Nothing was loaded; the files stay pending. To take the change, set schema_evolution: add_columns",
            failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, retried.RowsInserted);
        Assert.Equal(["1|NULL", "2|NATAL"], Query("SELECT id_pedido, coalesce(cupom, 'NULL') FROM bronze.pedidos ORDER BY 1"));
    }

    [Fact]
    public async Task AnUnparseableFile_MovesToRejectedWithItsReason_AndTheRestOfTheBatchLoads()
    {
        WriteSource("json");
        _folder
            .Write($"{Pedidos}/ingestion_date=2026-01-01/a.json", "{\"id_pedido\": 1}\n")
            .Write($"{Pedidos}/ingestion_date=2026-01-01/b.json", "{\"id_pedido\": 2}\n{\"id_pedido\": \n")
            .Write($"{Pedidos}/ingestion_date=2026-01-01/c.json", "{\"id_pedido\": 3}\n");

        var first = (await Ingest()).Steps.Single();
        var second = (await Ingest()).Steps.Single();

        Assert.Equal(RunStatus.Warning, first.Status);
        Assert.Equal(2, first.RowsInserted);
        Assert.Contains("pedidos: landing file landing/loja/pedidos/ingestion_date=2026-01-01/b.json cannot be loaded and was moved to "
            + "landing/loja/pedidos/_rejected/ingestion_date=2026-01-01/b.json (Invalid Input Error: Malformed JSON in file", first.Warning, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.Equal(["1", "3"], Query("SELECT id_pedido FROM bronze.pedidos ORDER BY 1"));
        var rejected = Path.Combine(_folder.Path, Pedidos, "_rejected", "ingestion_date=2026-01-01", "b.json");
        Assert.Equal("{\"id_pedido\": 2}\n{\"id_pedido\": \n", File.ReadAllText(rejected));
        Assert.Contains("Malformed JSON", File.ReadAllText(rejected + ".reason.txt"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder.Path, Pedidos, "ingestion_date=2026-01-01", "b.json")));
    }

    [Fact]
    public async Task ACorruptParquetFile_IsRejected_WhenItIsTheWholeBatch_TheStepOnlyWarns()
    {
        WriteSource("parquet");
        _folder.Write($"{Pedidos}/a.parquet", "PAR1 not really");

        var step = (await Ingest()).Steps.Single();

        Assert.Equal(RunStatus.Warning, step.Status);
        Assert.Contains("landing/loja/pedidos/a.parquet cannot be loaded", step.Warning, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder.Path, Pedidos, "_rejected", "a.parquet.reason.txt")));
    }

    [Theory]
    [InlineData("INTEGER", "BIGINT", true)]
    [InlineData("SMALLINT", "HUGEINT", true)]
    [InlineData("BIGINT", "INTEGER", false)]
    [InlineData("UINTEGER", "BIGINT", true)]
    [InlineData("UBIGINT", "BIGINT", false)]
    [InlineData("INTEGER", "DOUBLE", true)]
    [InlineData("BIGINT", "DOUBLE", false)]
    [InlineData("FLOAT", "DOUBLE", true)]
    [InlineData("DOUBLE", "FLOAT", false)]
    [InlineData("INTEGER", "DECIMAL(12,2)", true)]
    [InlineData("INTEGER", "DECIMAL(10,2)", false)]
    [InlineData("DECIMAL(12,2)", "DECIMAL(18,4)", true)]
    [InlineData("DECIMAL(12,2)", "DECIMAL(12,4)", false)]
    [InlineData("DECIMAL(12,2)", "DOUBLE", false)]
    [InlineData("INTEGER", "VARCHAR", false)]
    public void Widens_OnlyWhenEveryValueConvertsExactly(string from, string to, bool widens) =>
        Assert.Equal(widens, BronzeSchema.Widens(from, to));

    private void WriteSource(string format, string extra = "") =>
        _folder.Write("sources/loja.yml", $"name: loja\nformat: {format}\n{extra}tables:\n  - name: pedidos\n");

    private Task<RunSummary> Ingest() => Runs.RunAsync(_folder.Load(), new RunOptions { Selector = "source:loja" });

    private List<string> Query(string sql) => WarehouseRows.Of(_folder.Load().WarehousePath, sql);
}
