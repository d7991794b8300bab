using Alquimia.Warehouse.DuckDb;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Warehouse;

/// <summary>
/// <see cref="ScratchTable"/>: rows written and committed by a second connection, read by a step's transaction that
/// began before them, and gone once disposed.
/// </summary>
public sealed class ScratchTableTests : IDisposable
{
    private readonly ObservedDuckDb _database = new("scratch");

    public ScratchTableTests()
    {
        _database.Connection.Execute("CREATE TABLE chamados AS SELECT range AS id_chamado FROM range(5)");
    }

    private CheckedConnection Step => _database.Connection;

    public void Dispose() => _database.Dispose();

    [Fact]
    public void ATransactionThatHasLookedAtTheCatalog_ReadsTheTable()
    {
        using var transaction = Step.BeginTransaction();
        // A catalog query touches every attached database: a scratch table in one attached before would stay unseen.
        Step.Execute("SELECT count(*) FROM duckdb_tables()");
        using var scratch = ScratchTable.Create(Step, "checked_gold_ft", "SELECT id_chamado FROM chamados WHERE id_chamado < 3", prepare: null, CancellationToken.None);

        Assert.Equal(["0", "1", "2"], WarehouseRows.Of(Step, $"SELECT id_chamado FROM {scratch.Name.Sql} ORDER BY 1"));
        transaction.Commit();
    }

    [Fact]
    public void TheRowsAreWhatIsCommitted_NotWhatTheStepWroteBefore()
    {
        using var transaction = Step.BeginTransaction();
        Step.Execute("INSERT INTO chamados VALUES (99)");

        using var scratch = ScratchTable.Create(Step, "checked_gold_ft", "SELECT max(id_chamado) FROM chamados", prepare: null, CancellationToken.None);

        Assert.Equal(["4"], WarehouseRows.Of(Step, $"SELECT * FROM {scratch.Name.Sql}"));
    }

    [Fact]
    public void Disposing_DetachesItsDatabase_EvenInsideTheTransactionThatReadIt_WhichStillCommits()
    {
        using (var transaction = Step.BeginTransaction())
        {
            using (var scratch = ScratchTable.Create(Step, "checked_gold_ft", "SELECT id_chamado FROM chamados", prepare: null, CancellationToken.None))
            {
                Step.Execute($"CREATE TABLE copia AS SELECT * FROM {scratch.Name.Sql}");
            }

            transaction.Commit();
        }

        Assert.Equal(["5"], WarehouseRows.Of(_database.Observer, "SELECT count(*) FROM copia"));
        Assert.Equal(["0"], WarehouseRows.Of(_database.Observer, "SELECT count(*) FROM duckdb_databases() WHERE database_name LIKE 'alquimia_scratch%'"));
    }

    [Fact]
    public void ASelectThatFails_LeavesNoDatabaseAttached()
    {
        Assert.Throws<DuckDbEngineException>(() => ScratchTable.Create(Step, "checked_silver_tb_chamado", "SELECT CAST('sem número' AS INTEGER) FROM chamados", prepare: null, CancellationToken.None));

        Assert.Equal(["0"], WarehouseRows.Of(_database.Observer, "SELECT count(*) FROM duckdb_databases() WHERE database_name LIKE 'alquimia_scratch%'"));
    }

    [Fact]
    public void APrivateInMemoryDatabase_IsRefused_AsNoSecondConnectionCanJoinIt()
    {
        using var connection = new CheckedConnection("Data Source=:memory:");
        connection.Open();

        var error = Assert.Throws<InvalidOperationException>(() => ScratchTable.Create(connection, "checked", "SELECT 1", prepare: null, CancellationToken.None));

        Assert.Contains("use a file", error.Message, StringComparison.Ordinal);
    }
}
