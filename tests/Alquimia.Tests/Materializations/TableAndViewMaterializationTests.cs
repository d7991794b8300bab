using Alquimia.Projects;

namespace Alquimia.Tests.Materializations;

public sealed class TableAndViewMaterializationTests : IDisposable
{
    private readonly MaterializationFixture _warehouse = new();

    private static readonly ModelDefinition DmCanal = MaterializationFixture.Model(
        "gold.dm_canal", "SELECT id_canal, upper(nome) AS nome FROM silver.tb_canal;", new ModelConfig { Materialized = MaterializationKind.Table });

    public TableAndViewMaterializationTests()
    {
        _warehouse.Execute("CREATE TABLE silver.tb_canal AS SELECT * FROM (VALUES (1, 'chat'), (2, 'telefone')) canais(id_canal, nome)");
    }

    public void Dispose() => _warehouse.Dispose();

    [Fact]
    public void Table_RebuildsEveryRun_CountingOldRowsAsDeleted()
    {
        _warehouse.Build(DmCanal);
        _warehouse.Execute("INSERT INTO silver.tb_canal VALUES (3, 'whatsapp')");

        var result = _warehouse.Build(DmCanal);

        Assert.Equal((3, 2), (result.RowsInserted, result.RowsDeleted));
        Assert.Equal(["1|CHAT", "2|TELEFONE", "3|WHATSAPP"], _warehouse.Rows("SELECT * FROM gold.dm_canal ORDER BY 1"));
        Assert.Empty(_warehouse.Rows("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%alquimia_new'"));
    }

    [Fact]
    public void Table_ReadersOnAnotherConnection_SeeTheOldTableUntilCommit()
    {
        _warehouse.Build(DmCanal);
        _warehouse.Execute("INSERT INTO silver.tb_canal VALUES (3, 'whatsapp')");

        using (var transaction = _warehouse.Connection.BeginTransaction())
        {
            Alquimia.Materializations.Materialization.For(MaterializationKind.Table)
                .Build(new Alquimia.Materializations.ModelBuild(_warehouse.Connection, DmCanal, CancellationToken.None) { RunDate = _warehouse.RunDate });
            Assert.Equal(2L, ObservedCount());
            transaction.Commit();
        }

        Assert.Equal(3L, ObservedCount());
    }

    [Fact]
    public void Table_FailedBuild_LeavesThePublishedTableUntouched()
    {
        _warehouse.Build(DmCanal);
        var broken = DmCanal with { Sql = "SELECT id_canal, CAST(nome AS INTEGER) AS nome FROM silver.tb_canal" };

        Assert.ThrowsAny<Exception>(() => _warehouse.Build(broken));

        Assert.Equal(["1|CHAT", "2|TELEFONE"], _warehouse.Rows("SELECT * FROM gold.dm_canal ORDER BY 1"));
    }

    [Fact]
    public void View_IsCreatedAndFollowsItsUpstream_ReplacingATableOfTheSameName()
    {
        _warehouse.Build(DmCanal);
        var asView = DmCanal with { Config = new ModelConfig { Materialized = MaterializationKind.View } };

        var result = _warehouse.Build(asView);
        _warehouse.Execute("INSERT INTO silver.tb_canal VALUES (3, 'whatsapp')");

        Assert.Equal(0, result.RowsInserted);
        Assert.Equal(["view"], _warehouse.Rows("SELECT 'view' FROM duckdb_views() WHERE view_name = 'dm_canal'"));
        Assert.Equal(["3"], _warehouse.Rows("SELECT count(*) FROM gold.dm_canal"));
    }

    private long ObservedCount()
    {
        using var command = _warehouse.Observer.CreateCommand("SELECT count(*) FROM gold.dm_canal");
        return (long)command.ExecuteScalar()!;
    }
}
