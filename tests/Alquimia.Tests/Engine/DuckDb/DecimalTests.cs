using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>DECIMAL at every storage width, and 38-digit values that System.Decimal cannot hold.</summary>
public sealed class DecimalTests : IDisposable
{
    private const string ThirtyEightNines = "99999999999999999999999999999999999999";

    private static readonly DuckDbDecimal Largest = new(Int128.Parse(ThirtyEightNines), 0);

    private readonly InMemoryDuckDb _db = new();

    [Theory]
    [InlineData("DECIMAL(4,1)", "999.9", 9999, 1)]
    [InlineData("DECIMAL(9,4)", "-99999.9999", -999999999, 4)]
    [InlineData("DECIMAL(18,6)", "999999999999.999999", 999999999999999999, 6)]
    [InlineData("DECIMAL(38,10)", "-0.0000000001", -1, 10)]
    public void Decimal_ReadsExactly_AtEveryStorageWidth(string type, string literal, long unscaled, byte scale)
    {
        using var command = _db.Connection.CreateCommand($"SELECT '{literal}'::{type} AS d");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(decimal.Parse(literal, System.Globalization.CultureInfo.InvariantCulture), reader.GetDecimal(0));
        Assert.Equal(new DuckDbDecimal(unscaled, scale), reader.GetFieldValue<DuckDbDecimal>(0));
        Assert.Equal(literal, reader.GetString(0));
    }

    [Theory]
    [InlineData("100000000000000000000000000000000000000", 0)]
    [InlineData("12345", 39)]
    public void DecimalParameter_WiderThanDuckDbHolds_IsRefusedNamingTheParameter(string unscaled, byte scale)
    {
        using var command = _db.Connection.CreateCommand("SELECT $amount");
        command.Parameters.Add("amount", new DuckDbDecimal(Int128.Parse(unscaled), scale));

        var error = Assert.Throws<OverflowException>(() => command.ExecuteScalar());

        Assert.Contains("'amount'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decimal38_ReadsExactly_AsDuckDbDecimalAndString()
    {
        using var command = _db.Connection.CreateCommand(
            $"SELECT '{ThirtyEightNines}'::DECIMAL(38,0) AS widest, '-{ThirtyEightNines}'::DECIMAL(38,0), '0.{ThirtyEightNines}'::DECIMAL(38,38)");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(Largest, reader.GetFieldValue<DuckDbDecimal>(0));
        Assert.Equal(ThirtyEightNines, reader.GetString(0));
        Assert.Equal(new DuckDbDecimal(-Largest.UnscaledValue, 0), reader.GetFieldValue<DuckDbDecimal>(1));
        Assert.Equal("-" + ThirtyEightNines, reader.GetString(1));
        Assert.Equal(new DuckDbDecimal(Largest.UnscaledValue, 38), reader.GetFieldValue<DuckDbDecimal>(2));
        Assert.Equal("0." + ThirtyEightNines, reader.GetString(2));
    }

    [Fact]
    public void GetDecimal_ThrowsInvalidCast_InsteadOfRounding_WhenTheValueIsWiderThanDecimal()
    {
        using var command = _db.Connection.CreateCommand($"SELECT '{ThirtyEightNines}'::DECIMAL(38,0) AS widest");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        foreach (var error in new[]
        {
            Assert.Throws<InvalidCastException>(() => reader.GetDecimal(0)),
            Assert.Throws<InvalidCastException>(() => reader.GetValue(0)),
            Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<decimal?>(0)),
        })
        {
            Assert.IsType<OverflowException>(error.InnerException);
            Assert.Contains("'widest' is DECIMAL(38,0)", error.Message, StringComparison.Ordinal);
            Assert.Contains(ThirtyEightNines, error.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(DuckDbDecimal), error.Message, StringComparison.Ordinal);
        }

        // The failed read left the reader on the row, still readable exactly.
        Assert.Equal(Largest, reader.GetFieldValue<DuckDbDecimal>(0));
    }

    [Fact]
    public void Decimal38_WhoseDigitsFitDecimal_ReadsAsDecimal()
    {
        using var command = _db.Connection.CreateCommand(
            "SELECT '79228162514264337593543950335'::DECIMAL(38,0), '0.10000000000000000000000000000000000000'::DECIMAL(38,38)");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(decimal.MaxValue, reader.GetDecimal(0));
        Assert.Equal(0.1m, reader.GetDecimal(1));
    }

    [Fact]
    public void DuckDbDecimal38_RoundTrips_ThroughParameterAndAppender()
    {
        _db.Execute("CREATE TABLE wide (id INTEGER, d DECIMAL(38,0), f DECIMAL(38,38))");
        var fraction = new DuckDbDecimal(-Largest.UnscaledValue, 38);
        _db.Execute("INSERT INTO wide VALUES (1, $1, $2)", Largest, fraction);
        using (var appender = _db.Connection.CreateAppender("wide"))
        {
            appender.CreateRow().Append(2).Append(Largest).Append(fraction).EndRow();
        }

        Assert.Equal(2, _db.Scalar<long>(
            $"SELECT count(*) FROM wide WHERE d = '{ThirtyEightNines}'::DECIMAL(38,0) AND f = '-0.{ThirtyEightNines}'::DECIMAL(38,38)"));
        Assert.Equal(Largest, _db.Scalar<DuckDbDecimal>("SELECT d FROM wide WHERE id = 2"));
        Assert.Equal(fraction, _db.Scalar<DuckDbDecimal>("SELECT f FROM wide WHERE id = 2"));
    }

    [Fact]
    public void DecimalParameter_IsBoundAsDecimal38_WithTheValuesScale()
    {
        using var command = _db.Command("SELECT typeof($1), $1", -12.3400m);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal("DECIMAL(38,4)", reader.GetString(0));
        Assert.Equal(-12.3400m, reader.GetDecimal(1));
        Assert.Equal("-12.3400", reader.GetString(1));
    }

    [Fact]
    public void Appender_RoundsExtraScaleHalfAwayFromZero_AsDuckDbsCastDoes()
    {
        _db.Execute("CREATE TABLE money (v DECIMAL(4,1))");
        decimal[] values = [1.25m, -1.25m, 1.24m, 999.94m];
        using (var appender = _db.Connection.CreateAppender("money"))
        {
            foreach (var value in values)
            {
                appender.CreateRow().Append(value).EndRow();
            }
        }

        var byCast = _db.Rows("SELECT unnest([1.25, -1.25, 1.24, 999.94])::DECIMAL(4,1)").Select(row => (decimal)row[0]);
        Assert.Equal([1.3m, -1.3m, 1.2m, 999.9m], byCast);
        Assert.Equal(byCast, _db.Rows("SELECT v FROM money").Select(row => (decimal)row[0]));
    }

    [Fact]
    public void Appender_RefusesDecimalWiderThanTheColumn_NamingIt()
    {
        _db.Execute("CREATE TABLE money (amount DECIMAL(4,1))");
        using var appender = _db.Connection.CreateAppender("money");

        var error = Assert.Throws<OverflowException>(() => appender.CreateRow().Append(1000m));
        Assert.Contains("'amount' (DECIMAL(4,1))", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-123400, 4, "-12.3400")]
    [InlineData(5, 2, "0.05")]
    [InlineData(-5, 2, "-0.05")]
    [InlineData(42, 0, "42")]
    public void ToString_WritesTheExactDigits(long unscaled, byte scale, string expected) =>
        Assert.Equal(expected, new DuckDbDecimal(unscaled, scale).ToString());

    [Fact]
    public void FromDecimal_KeepsMantissaAndScale_AndConvertsBack()
    {
        var exact = DuckDbDecimal.FromDecimal(-12.3400m);
        Assert.Equal(new DuckDbDecimal(-123400, 4), exact);
        Assert.Equal(-12.3400m, exact.ToDecimal());
        Assert.Equal(decimal.MinValue, DuckDbDecimal.FromDecimal(decimal.MinValue).ToDecimal());
        Assert.False(Largest.TryToDecimal(out _));
    }

    public void Dispose() => _db.Dispose();
}
