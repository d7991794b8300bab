using DuckDB.NET.Data;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>The SQL a lakehouse pipeline leans on: Parquet files written and read back, and MERGE INTO upserts.</summary>
public sealed class ParquetAndMergeTests : IDisposable
{
    private const string Source = """
        SELECT i AS id,
               CASE WHEN i % 5 = 0 THEN NULL ELSE 'chamado ' || i || CASE WHEN i % 2 = 0 THEN ' em São Paulo, ação' ELSE '' END END AS titulo,
               (i * 1.25)::DECIMAL(18,2) AS valor,
               CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3.0 END AS fator,
               TIMESTAMP '1969-12-31 23:00:00' + INTERVAL (i * 3601) SECOND + INTERVAL (i) MICROSECOND AS aberto_em,
               DATE '1950-01-01' + i::INTEGER AS dia,
               i % 3 = 0 AS urgente,
               [i, NULL, i + 1] AS tags,
               {'uf': 'SP', 'n': i} AS origem,
               '\xCA\xFE'::BLOB || i::VARCHAR::BLOB AS anexo
        FROM range(10000) t(i)
        """;

    private readonly InMemoryDuckDb _db = new();
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Parquet_WrittenWithSnappy_ReadsBackEqual()
    {
        var path = _directory.File("chamados.parquet");
        _db.Execute($"CREATE TABLE chamados AS {Source}");

        _db.Execute($"COPY (SELECT * FROM chamados ORDER BY id) TO '{path}' (FORMAT parquet, COMPRESSION snappy)");

        Assert.True(File.Exists(path));
        Assert.Equal("SNAPPY", _db.Scalar<string>($"SELECT DISTINCT compression FROM parquet_metadata('{path}') WHERE path_in_schema = 'titulo'"));
        // Every row and value, compared by DuckDB in both directions (EXCEPT ALL keeps duplicates and treats NULLs as equal).
        Assert.Equal(0L, _db.Scalar<long>($"SELECT count(*) FROM (SELECT * FROM chamados EXCEPT ALL SELECT * FROM read_parquet('{path}'))"));
        Assert.Equal(0L, _db.Scalar<long>($"SELECT count(*) FROM (SELECT * FROM read_parquet('{path}') EXCEPT ALL SELECT * FROM chamados)"));
    }

    [Fact]
    public void Parquet_KeepsTheColumnTypes()
    {
        var path = _directory.File("types.parquet");
        _db.Execute($"COPY ({Source}) TO '{path}' (FORMAT parquet, COMPRESSION snappy)");

        Assert.Equal(
            ["BIGINT", "VARCHAR", "DECIMAL(18,2)", "DOUBLE", "TIMESTAMP", "DATE", "BOOLEAN", "BIGINT[]", "STRUCT(uf VARCHAR, n BIGINT)", "BLOB"],
            _db.Connection.Query($"SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))", reader => reader.GetString(0)));
    }

    [Fact]
    public void MergeInto_InsertsNewKeys_UpdatesExistingOnes_AndLeavesTheRest()
    {
        _db.Execute("CREATE TABLE tb_chamado (id INTEGER PRIMARY KEY, status VARCHAR, valor DECIMAL(10,2))");
        _db.Execute("INSERT INTO tb_chamado VALUES (1, 'aberto', 10.00), (2, 'aberto', 20.00), (3, 'aberto', 30.00)");
        _db.Execute("CREATE TABLE chegada (id INTEGER, status VARCHAR, valor DECIMAL(10,2))");
        _db.Execute("INSERT INTO chegada VALUES (2, 'fechado', 25.00), (3, 'aberto', 30.00), (4, 'novo', 40.00), (5, 'novo', 50.00)");

        var affected = _db.Execute("""
            MERGE INTO tb_chamado AS alvo
            USING chegada AS nova ON alvo.id = nova.id
            WHEN MATCHED AND (alvo.status, alvo.valor) IS DISTINCT FROM (nova.status, nova.valor)
                THEN UPDATE SET status = nova.status, valor = nova.valor
            WHEN NOT MATCHED THEN INSERT (id, status, valor) VALUES (nova.id, nova.status, nova.valor)
            """);

        Assert.Equal(3, affected);
        var rows = _db.Rows("SELECT id, status, valor FROM tb_chamado ORDER BY id");
        Assert.Equal(
            [[1, "aberto", 10.00m], [2, "fechado", 25.00m], [3, "aberto", 30.00m], [4, "novo", 40.00m], [5, "novo", 50.00m]],
            rows);
    }

    [Fact]
    public void MergeInto_WithParameters_UpsertsOneRow_AndDeletesOnRequest()
    {
        _db.Execute("CREATE TABLE watermark (model VARCHAR PRIMARY KEY, until TIMESTAMP)");
        const string Upsert = """
            MERGE INTO watermark USING (SELECT $model AS model, $until AS until) AS nova ON watermark.model = nova.model
            WHEN MATCHED AND nova.until IS NULL THEN DELETE
            WHEN MATCHED THEN UPDATE SET until = nova.until
            WHEN NOT MATCHED THEN INSERT VALUES (nova.model, nova.until)
            """;
        void Merge(string model, DateTime? until)
        {
            using var command = _db.Connection.CreateCommand(Upsert);
            command.Parameters.Add(new DuckDBParameter("model", model));
            command.Parameters.Add(new DuckDBParameter("until", (object?)until ?? DBNull.Value));
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        Merge("silver.tb_chamado", new DateTime(2024, 1, 1));
        Merge("gold.ft_chamado", new DateTime(2024, 1, 2));
        Merge("silver.tb_chamado", new DateTime(2024, 2, 1));
        Merge("gold.ft_chamado", null);

        var row = Assert.Single(_db.Rows("SELECT model, until FROM watermark"));
        Assert.Equal<object>(["silver.tb_chamado", new DateTime(2024, 2, 1)], row);
    }

    public void Dispose()
    {
        _db.Dispose();
        _directory.Dispose();
    }
}
