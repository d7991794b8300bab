using Alquimia.Examples.VCredit;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Examples;

/// <summary>A lake generated once per test class (20,000 chamados over 7 days), read back with an in-memory DuckDB.</summary>
public sealed class GeneratedLake : IDisposable
{
    internal static readonly VCreditGeneratorOptions DefaultOptions = new() { Rows = 20_000, Days = 7, Seed = 7 };

    private readonly TempDirectory _directory = new();

    public GeneratedLake()
    {
        Summary = VCreditGenerator.Generate(_directory.Path, DefaultOptions);
    }

    public string Path => _directory.Path;

    public VCreditGenerationSummary Summary { get; }

    /// <summary>The read_parquet call over every landing file of <paramref name="table"/> in the lake at <paramref name="lake"/>.</summary>
    internal static string Files(string lake, string table) =>
        $"read_parquet('{System.IO.Path.Combine(lake, "landing", "postgres_public", table, "*", "*.parquet")}', hive_partitioning = true)";

    /// <summary>Row count and order-independent checksums of every value of every row of each table, ingestion_date included.</summary>
    internal static Dictionary<string, string> Checksums(string lake)
    {
        using var db = new InMemoryDuckDb();
        return VCreditGenerator.Tables.ToDictionary(
            table => table,
            table => db.Scalar<string>(
                $"SELECT count(*) || ' rows, sum ' || sum(hash(t) % 1000000007) || ', xor ' || bit_xor(hash(t)) FROM {Files(lake, table)} t"),
            StringComparer.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
