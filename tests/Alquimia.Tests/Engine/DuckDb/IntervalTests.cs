using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary><see cref="DuckDbInterval"/> as text: the same as DuckDB's own cast of the interval to VARCHAR.</summary>
public sealed class IntervalTests : IDisposable
{
    private readonly InMemoryDuckDb _db = new();

    [Theory]
    [InlineData("INTERVAL '1 day'")]
    [InlineData("INTERVAL '2 days'")]
    [InlineData("INTERVAL '14 months'")]
    [InlineData("INTERVAL '1 year 2 months 3 days 04:05:06.5'")]
    [InlineData("INTERVAL '-1 year -3 days'")]
    [InlineData("INTERVAL '26 hours'")]
    [InlineData("INTERVAL '0 seconds'")]
    [InlineData("-INTERVAL '00:00:01.000001'")]
    [InlineData("INTERVAL '3 days' - INTERVAL '90 minutes'")]
    [InlineData("to_microseconds(1000000000000000000)")]
    public void ToString_WritesTheIntervalAsDuckDbDoes(string interval)
    {
        using var command = _db.Connection.CreateCommand($"SELECT {interval}, CAST({interval} AS VARCHAR)");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(reader.GetString(1), reader.GetFieldValue<DuckDbInterval>(0).ToString());
        Assert.Equal(reader.GetString(1), reader.GetString(0));
    }

    [Fact]
    public void IntervalInsideAList_IsWrittenInJsonAsDuckDbWritesIt()
    {
        Assert.Equal("[\"1 day 02:00:00\",null]", _db.Scalar<string>("SELECT [INTERVAL '1 day 2 hours', NULL]"));
    }

    public void Dispose() => _db.Dispose();
}
