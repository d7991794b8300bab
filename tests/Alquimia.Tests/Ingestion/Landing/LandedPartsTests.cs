using Alquimia.Ingestion.Landing;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Ingestion.Landing;

/// <summary>
/// The check of a batch's parts before it is published (seed 003's "integridade dos arquivos"): a part DuckDB cannot
/// read as Parquet, or one holding other rows than were written into it, stops the sync naming the file; sound parts pass.
/// </summary>
public sealed class LandedPartsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CheckedConnection _connection = new(new DuckDbSettings());

    public LandedPartsTests() => _connection.Open();

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void SoundParts_Pass()
    {
        using var batch = Batch();
        Write(batch, rows: 1_000);
        Write(batch, rows: 3);

        LandedParts.Check(_connection, "radar", "store", batch);

        Assert.Equal(1_003, batch.Rows);
    }

    [Fact]
    public void APartWithOtherRowsThanWereWritten_StopsTheSync_NamingIt()
    {
        using var batch = Batch();
        var path = batch.NextPartPath();
        _connection.Execute($"COPY (SELECT range AS id FROM range(10)) TO {SqlText.Literal(path)} (FORMAT parquet)");
        batch.Added(11);

        var error = Assert.Throws<AlquimiaException>(() => LandedParts.Check(_connection, "radar", "store", batch));

        Assert.Contains($"Source 'radar', table store: the landed part {path} holds 10 rows, where 11 were written into it.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedPart_StopsTheSync_NamingIt()
    {
        using var batch = Batch();
        var path = Write(batch, rows: 5_000);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<AlquimiaException>(() => LandedParts.Check(_connection, "radar", "store", batch));

        Assert.StartsWith($"Source 'radar', table store: the landed part {path} cannot be read as Parquet (", error.Message, StringComparison.Ordinal);
    }

    private LandingBatch Batch() => new(Path.Combine(_directory.Path, "store"), DateTimeOffset.Parse("2026-12-07T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "batch-1");

    private string Write(LandingBatch batch, long rows)
    {
        var path = batch.NextPartPath();
        batch.Added(_connection.Execute($"COPY (SELECT range AS id, 'loja ' || range AS name FROM range({rows})) TO {SqlText.Literal(path)} (FORMAT parquet)"));
        return path;
    }
}
