using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Warehouse;

/// <summary><see cref="RelationCatalog"/>: what a name is, and its columns, as the current transaction sees them.</summary>
public sealed class RelationCatalogTests : IDisposable
{
    private readonly ObservedDuckDb _database = new("catalog");

    public RelationCatalogTests()
    {
        _database.Connection.Execute(""""
            CREATE SCHEMA silver;
            CREATE TABLE silver.tb_custo_chamado (id_custo BIGINT, valor DECIMAL(18, 2), tags VARCHAR[], "it's ""quoted""" INTEGER);
            CREATE VIEW silver.vw_custos AS SELECT id_custo, valor * 2 AS dobro FROM silver.tb_custo_chamado;
            """");
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Columns_OfATableAndOfAView_InOrder_WithDuckDbsTypeNames()
    {
        Assert.Equal(
            [new ColumnInfo("id_custo", "BIGINT"), new ColumnInfo("valor", "DECIMAL(18,2)"), new ColumnInfo("tags", "VARCHAR[]"), new ColumnInfo("it's \"quoted\"", "INTEGER")],
            RelationCatalog.Columns(_database.Connection, new QualifiedName("silver", "tb_custo_chamado")));
        Assert.Equal(
            [new ColumnInfo("id_custo", "BIGINT"), new ColumnInfo("dobro", "DECIMAL(18,2)")],
            RelationCatalog.Columns(_database.Connection, new QualifiedName("silver", "vw_custos")));
    }

    [Fact]
    public void Columns_OfANameNothingHas_AreNone_AndTheTransactionGoesOn()
    {
        using var transaction = _database.Connection.BeginTransaction();
        _database.Connection.Execute("CREATE TABLE silver.tb_nova AS SELECT 1 AS id");

        Assert.Empty(RelationCatalog.Columns(_database.Connection, new QualifiedName("silver", "tb_inexistente")));
        Assert.Empty(RelationCatalog.Columns(_database.Connection, new QualifiedName("gold", "tb_custo_chamado")));
        Assert.Equal([new ColumnInfo("id", "INTEGER")], RelationCatalog.Columns(_database.Connection, new QualifiedName("silver", "tb_nova")));

        transaction.Commit();
        Assert.Equal(1, _database.Observer.Scalar<long>("SELECT count(*) FROM silver.tb_nova"));
    }
}
