using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

public sealed class SmokeTests
{
    [Fact]
    public void Select_ReturnsValues()
    {
        using var connection = new DuckDbConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand("SELECT 42::BIGINT AS answer, 'ação' AS word, NULL::INTEGER AS nothing, [1,2,3] AS list, {'a': 1, 'b': 'x'} AS s, 12.345::DECIMAL(10,3) AS d, DATE '1969-07-20' AS day, 'a1b2c3d4-0000-4000-8000-000000000001'::UUID AS id");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(42L, reader.GetInt64(0));
        Assert.Equal("ação", reader.GetString(1));
        Assert.True(reader.IsDBNull(2));
        Assert.Equal("[1,2,3]", reader.GetString(3));
        Assert.Equal("{\"a\":1,\"b\":\"x\"}", reader.GetString(4));
        Assert.Equal(12.345m, reader.GetDecimal(5));
        Assert.Equal(new DateOnly(1969, 7, 20), reader.GetFieldValue<DateOnly>(6));
        Assert.Equal(Guid.Parse("a1b2c3d4-0000-4000-8000-000000000001"), reader.GetGuid(7));
        Assert.False(reader.Read());
    }
}
