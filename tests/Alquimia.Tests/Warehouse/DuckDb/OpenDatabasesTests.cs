using Alquimia.Warehouse.DuckDb;
using DuckDB.NET.Native;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>How the checked layer opens databases where DuckDB.NET keys its instances by the data source's text.</summary>
public sealed class OpenDatabasesTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void TwoSpellingsOfOnePath_ShareOneInstance_SoEachSeesTheOthersUncheckpointedWrites()
    {
        // DuckDB.NET opened 'dir/./x.duckdb' as a second instance that did not see the first one's tables.
        var plain = _directory.File("x.duckdb");
        var dotted = Path.Combine(_directory.Path, ".", "x.duckdb");
        using var first = Open($"Data Source={plain}");
        using var second = Open($"Data Source={dotted}");

        first.Execute("CREATE TABLE t AS SELECT 1 AS v");

        Assert.Equal(1, second.Scalar<int>("SELECT v FROM t"));
        Assert.Equal(first.ConnectionString, second.ConnectionString);
    }

    [Fact]
    public void TwoFilesWhosePathsDifferOnlyInCase_AreNotOpenedAsOneDatabase()
    {
        // DuckDB.NET keys its instances ignoring case, so the second file would silently be the first one's database.
        using var lower = Open($"Data Source={_directory.File("chamados.duckdb")}");
        lower.Execute("CREATE TABLE t AS SELECT 1 AS v");

        var error = Assert.Throws<InvalidOperationException>(() => Open($"Data Source={_directory.File("Chamados.duckdb")}"));

        Assert.Contains("differs only in case", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("Chamados.duckdb")));
    }

    [Fact]
    public void ASecondConnectionAskingForOtherSettings_IsRefused_InsteadOfSilentlyGettingTheFirstOnes()
    {
        var path = _directory.File("x.duckdb");
        using var first = Open($"Data Source={path};threads=1");

        var error = Assert.Throws<InvalidOperationException>(() => Open($"Data Source={path};threads=2"));

        Assert.Contains("already open in this process", error.Message, StringComparison.Ordinal);
        Assert.Contains("threads=2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnceEveryConnectionClosed_OtherSettingsMayOpenTheFile()
    {
        var path = _directory.File("x.duckdb");
        using (var first = Open($"Data Source={path};threads=1"))
        {
            first.Execute("CREATE TABLE t AS SELECT 1 AS v");
        }

        using var again = Open($"Data Source={path};threads=2;access_mode=READ_ONLY");
        Assert.Equal(1, again.Scalar<int>("SELECT v FROM t"));
        Assert.Throws<DuckDbEngineException>(() => again.Execute("INSERT INTO t VALUES (2)"));
    }

    [Fact]
    public void ErrorsRaisedWhilePreparing_CarryDuckDbsKind_WhereDuckDbNetSaysInvalid()
    {
        using var connection = Open("Data Source=:memory:");
        var parquet = _directory.File("corrupt.parquet");
        File.WriteAllText(parquet, "not a parquet file");

        Assert.Equal(DuckDBErrorType.Catalog, Assert.Throws<DuckDbEngineException>(() => connection.Execute("SELECT * FROM missing")).ErrorType);
        Assert.Equal(DuckDBErrorType.Parser, Assert.Throws<DuckDbEngineException>(() => connection.Execute("SELEC 1")).ErrorType);
        Assert.Equal(DuckDBErrorType.Conversion, Assert.Throws<DuckDbEngineException>(() => connection.Execute("SELECT 'x'::INTEGER")).ErrorType);
        Assert.Equal(DuckDBErrorType.InvalidInput, Assert.Throws<DuckDbEngineException>(() => connection.Execute($"SELECT * FROM read_parquet('{parquet}')")).ErrorType);
    }

    [Fact]
    public void ATimestampWithTimeZone_ReadsAsDateTimeOffset_WhereDuckDbNetGivesDateTime()
    {
        using var connection = Open("Data Source=:memory:");

        Assert.Equal(
            new DateTimeOffset(2026, 12, 6, 21, 13, 8, TimeSpan.Zero),
            connection.Scalar<DateTimeOffset?>("SELECT TIMESTAMPTZ '2026-12-06 18:13:08-03'"));
    }

    public void Dispose() => _directory.Dispose();

    private static CheckedConnection Open(string connectionString)
    {
        var connection = new CheckedConnection(connectionString);
        connection.Open();
        return connection;
    }
}
