using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>Values that DuckDB itself produces from SQL literals, read through <see cref="DuckDbDataReader"/>.</summary>
public sealed class LiteralReadTests : IDisposable
{
    private static readonly Dictionary<string, object> Values = new()
    {
        ["true"] = true,
        ["'-128'::TINYINT"] = sbyte.MinValue,
        ["'-32768'::SMALLINT"] = short.MinValue,
        ["'-2147483648'::INTEGER"] = int.MinValue,
        ["'-9223372036854775808'::BIGINT"] = long.MinValue,
        ["'255'::UTINYINT"] = byte.MaxValue,
        ["'65535'::USMALLINT"] = ushort.MaxValue,
        ["'4294967295'::UINTEGER"] = uint.MaxValue,
        ["'18446744073709551615'::UBIGINT"] = ulong.MaxValue,
        ["'-170141183460469231731687303715884105728'::HUGEINT"] = Int128.MinValue,
        ["'170141183460469231731687303715884105727'::HUGEINT"] = Int128.MaxValue,
        ["'340282366920938463463374607431768211455'::UHUGEINT"] = UInt128.MaxValue,
        ["1.5::FLOAT"] = 1.5f,
        ["'NaN'::FLOAT"] = float.NaN,
        ["'-inf'::FLOAT"] = float.NegativeInfinity,
        ["0.1::DOUBLE"] = 0.1,
        ["'NaN'::DOUBLE"] = double.NaN,
        ["'inf'::DOUBLE"] = double.PositiveInfinity,
        ["'-inf'::DOUBLE"] = double.NegativeInfinity,
        ["-123.4::DECIMAL(4,1)"] = -123.4m,
        ["12345.6789::DECIMAL(9,4)"] = 12345.6789m,
        ["-123456789012.345678::DECIMAL(18,6)"] = -123456789012.345678m,
        ["'1234567890123456789.0123456789'::DECIMAL(38,10)"] = 1234567890123456789.0123456789m,
        ["'ação'"] = "ação",
        ["''"] = "",
        ["'São Paulo 🦆, a string longer than twelve bytes'"] = "São Paulo 🦆, a string longer than twelve bytes",
        ["'\\xAA\\x00\\xFF'::BLOB"] = new byte[] { 0xAA, 0x00, 0xFF },
        ["''::BLOB"] = Array.Empty<byte>(),
        ["DATE '0001-01-01'"] = new DateOnly(1, 1, 1),
        ["DATE '9999-12-31'"] = new DateOnly(9999, 12, 31),
        ["DATE '1969-07-20'"] = new DateOnly(1969, 7, 20),
        ["DATE 'infinity'"] = DateOnly.MaxValue,
        ["DATE '-infinity'"] = DateOnly.MinValue,
        ["TIME '23:59:59.999999'"] = new TimeOnly(23, 59, 59, 999, 999),
        ["TIMESTAMP '1969-07-20 20:17:40.123456'"] = new DateTime(1969, 7, 20, 20, 17, 40, 123, 456),
        ["TIMESTAMP 'infinity'"] = DateTime.MaxValue,
        ["TIMESTAMPTZ '2024-01-01 12:00:00+03'"] = new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.Zero),
        ["'2001-02-03 04:05:06'::TIMESTAMP_S"] = new DateTime(2001, 2, 3, 4, 5, 6),
        ["'2001-02-03 04:05:06.789'::TIMESTAMP_MS"] = new DateTime(2001, 2, 3, 4, 5, 6, 789),
        ["'2001-02-03 04:05:06.123456789'::TIMESTAMP_NS"] = new DateTime(2001, 2, 3, 4, 5, 6).AddTicks(1_234_567),
        ["'1969-12-31 23:59:59.999999999'::TIMESTAMP_NS"] = new DateTime(1970, 1, 1).AddTicks(-1),
        ["INTERVAL '1 year 2 months 3 days 04:05:06.000007'"] = new DuckDbInterval(14, 3, 14_706_000_007),
        ["'a1b2c3d4-0000-4000-8000-000000000001'::UUID"] = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000001"),
    };

    private static readonly Dictionary<string, string> Texts = new()
    {
        ["true"] = "true",
        ["42::HUGEINT"] = "42",
        ["1.5::DOUBLE"] = "1.5",
        ["'NaN'::DOUBLE"] = "NaN",
        ["12.34::DECIMAL(9,4)"] = "12.3400",
        ["-0.05::DECIMAL(4,2)"] = "-0.05",
        ["DATE '1969-07-20'"] = "1969-07-20",
        ["TIME '23:59:59.5'"] = "23:59:59.5",
        ["TIME '24:00:00'"] = "24:00:00",
        ["TIMESTAMP '1969-07-20 20:17:40.123456'"] = "1969-07-20 20:17:40.123456",
        ["TIMESTAMP '2000-01-01'"] = "2000-01-01 00:00:00",
        ["TIMESTAMPTZ '2024-01-01 12:00:00+03'"] = "2024-01-01 09:00:00+00:00",
        ["'12:30:00+02'::TIMETZ"] = "12:30:00+02",
        ["'24:00:00-03'::TIMETZ"] = "24:00:00-03",
        ["'12:30:00-03:30'::TIMETZ"] = "12:30:00-03:30",
        ["'12:30:00.25+05:30:45'::TIMETZ"] = "12:30:00.25+05:30:45",
        ["'\\xAA\\x00'::BLOB"] = "AA00",
        ["'A1B2C3D4-0000-4000-8000-000000000001'::UUID"] = "a1b2c3d4-0000-4000-8000-000000000001",
        ["union_value(n := 5)"] = "5",
    };

    private readonly InMemoryDuckDb _db = new();

    [Theory]
    [InlineData("'12:30:00+02'::TIMETZ")]
    [InlineData("'12:30:00-03:30'::TIMETZ")]
    [InlineData("'12:30:00.25+05:30:45'::TIMETZ")]
    public void GetString_OfTimeWithTimeZone_IsDuckDbsOwnText(string literal)
    {
        using var command = _db.Connection.CreateCommand($"SELECT {literal}, CAST({literal} AS VARCHAR)");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(reader.GetString(1), reader.GetString(0));
    }

    public static TheoryData<string> ValueLiterals => [.. Values.Keys];

    public static TheoryData<string> TextLiterals => [.. Texts.Keys];

    public static TheoryData<string> NullableTypes =>
    [
        "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT",
        "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL(4,1)", "DECIMAL(9,2)", "DECIMAL(18,3)", "DECIMAL(38,4)", "VARCHAR", "BLOB",
        "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "INTERVAL", "UUID",
        "INTEGER[]", "STRUCT(a INTEGER)", "MAP(VARCHAR, INTEGER)", "INTEGER[2]", "TIMETZ", "BIT",
    ];

    [Theory]
    [MemberData(nameof(ValueLiterals))]
    public void Literal_ReadsAsItsClrValue(string literal)
    {
        using var command = _db.Connection.CreateCommand($"SELECT {literal} AS v");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        TypeRoundTripTests.AssertReads(Values[literal], reader, 0);
    }

    [Theory]
    [MemberData(nameof(TextLiterals))]
    public void Literal_ReadsAsInvariantText_ThroughGetString(string literal) =>
        Assert.Equal(Texts[literal], _db.Scalar<string>($"SELECT {literal}"));

    [Fact]
    public void TimestampWithTimeZone_ReadsAsUtcOffset()
    {
        var value = _db.Scalar<DateTimeOffset>("SELECT TIMESTAMPTZ '2024-06-01 08:30:00-03'");
        Assert.Equal(TimeSpan.Zero, value.Offset);
        Assert.Equal(new DateTime(2024, 6, 1, 11, 30, 0), value.DateTime);
    }

    [Fact]
    public void Enum_ReadsAsMemberName()
    {
        _db.Execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
        Assert.Equal(["happy", "sad"], _db.Rows("SELECT unnest(['happy', 'sad']::mood[])").Select(row => (string)row[0]));
    }

    [Theory]
    [MemberData(nameof(NullableTypes))]
    public void Null_ReadsAsDbNull_AndAsNullOfNullableType(string type)
    {
        using var command = _db.Connection.CreateCommand($"SELECT NULL::{type} AS nothing");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.True(reader.IsDBNull(0));
        Assert.Equal(DBNull.Value, reader.GetValue(0));
        Assert.Equal(DBNull.Value, reader[0]);
        Assert.Equal(DBNull.Value, reader.GetFieldValue<object>(0));
        Assert.Null(reader.GetFieldValue<int?>(0));
        Assert.Null(reader.GetFieldValue<DateTime?>(0));
        var error = Assert.Throws<InvalidCastException>(() => reader.GetString(0));
        Assert.Contains("'nothing' is NULL", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidCastException>(() => reader.GetInt64(0));
    }

    [Fact]
    public void Conversions_ReadColumnsAsRelatedClrTypes()
    {
        using var command = _db.Connection.CreateCommand(
            "SELECT DATE '1969-07-20', TIME '12:30:00', INTERVAL '2 days 3 hours', 42::INTEGER, TIMESTAMP '2001-02-03 04:05:06', 7::UTINYINT");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(new DateTime(1969, 7, 20), reader.GetDateTime(0));
        Assert.Equal(new TimeSpan(12, 30, 0), reader.GetFieldValue<TimeSpan>(1));
        Assert.Equal(new TimeSpan(2, 3, 0, 0), reader.GetFieldValue<TimeSpan>(2));
        Assert.Equal(42L, reader.GetInt64(3));
        Assert.Equal(42m, reader.GetDecimal(3));
        Assert.Equal("42", reader.GetString(3));
        Assert.Equal(new DateOnly(2001, 2, 3), reader.GetFieldValue<DateOnly>(4));
        Assert.Equal(7, reader.GetInt32(5));
        Assert.Equal(42L, reader.GetFieldValue<long?>(3));
        Assert.Equal((byte)7, reader.GetFieldValue<byte?>(5));
    }

    [Fact]
    public void Conversion_ThatLosesData_ThrowsInvalidCast_NamingTheColumn()
    {
        using var command = _db.Connection.CreateCommand(
            "SELECT INTERVAL '1 month' AS span, 5000000000::BIGINT AS big, 'abc' AS word");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        var months = Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<TimeSpan>(0));
        Assert.Contains("'span'", months.Message, StringComparison.Ordinal);
        Assert.Contains("month", months.Message, StringComparison.Ordinal);
        Assert.Equal(new DuckDbInterval(1, 0, 0), reader.GetFieldValue<DuckDbInterval>(0));

        var overflow = Assert.Throws<InvalidCastException>(() => reader.GetInt32(1));
        Assert.Contains("'big' is BIGINT", overflow.Message, StringComparison.Ordinal);

        var format = Assert.Throws<InvalidCastException>(() => reader.GetInt32(2));
        Assert.Contains("'word' is VARCHAR", format.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TIMESTAMP '10000-01-01 00:00:00'", "DateTime")]
    [InlineData("DATE '10000-01-01'", "DateOnly")]
    [InlineData("'-5000-01-01'::DATE", "DateOnly")]
    [InlineData("TIME '24:00:00'", "TimeOnly")]
    public void Value_OutsideTheClrTypesRange_ThrowsInvalidCast_SayingHowToReadIt(string literal, string clrType)
    {
        using var command = _db.Connection.CreateCommand($"SELECT {literal} AS edge");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(clrType, reader.GetFieldType(0).Name);
        foreach (var error in new[]
        {
            Assert.Throws<InvalidCastException>(() => reader.GetValue(0)),
            Assert.Throws<InvalidCastException>(() => ReadAs(reader, reader.GetFieldType(0))),
        })
        {
            Assert.Contains("'edge'", error.Message, StringComparison.Ordinal);
            Assert.Contains(clrType, error.Message, StringComparison.Ordinal);
            Assert.Contains("read it as", error.Message, StringComparison.Ordinal);
            Assert.IsType<OverflowException>(error.InnerException);
        }
    }

    [Fact]
    public void Time_At2400_ReadsAsTimeSpanOfOneDay() =>
        Assert.Equal(TimeSpan.FromDays(1), _db.Scalar<TimeSpan>("SELECT TIME '24:00:00'"));

    [Fact]
    public void UnsupportedType_ThrowsNotSupported_SayingToCastToVarchar()
    {
        using var command = _db.Connection.CreateCommand("SELECT '101'::BIT AS bits, '101'::BIT::VARCHAR AS text");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        var error = Assert.Throws<NotSupportedException>(() => reader.GetValue(0));
        Assert.Contains("CAST(column AS VARCHAR)", error.Message, StringComparison.Ordinal);
        Assert.Equal("101", reader.GetString(1));
    }

    [Fact]
    public void DataTypeNames_AreDuckDbsSqlNames()
    {
        using var command = _db.Connection.CreateCommand(
            "SELECT 1.5::DECIMAL(18,2), ['a'], {'a': 1, 'b': 'x'}, map {'k': 1}, [1, 2]::INTEGER[2], TIMESTAMPTZ '2024-01-01', 1::UHUGEINT");
        using var reader = command.ExecuteReader();

        Assert.Equal(
            ["DECIMAL(18,2)", "VARCHAR[]", "STRUCT(a INTEGER, b VARCHAR)", "MAP(VARCHAR, INTEGER)", "INTEGER[2]", "TIMESTAMP WITH TIME ZONE", "UHUGEINT"],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName));
        Assert.Equal(
            [DuckDbType.Decimal, DuckDbType.List, DuckDbType.Struct, DuckDbType.Map, DuckDbType.Array, DuckDbType.TimestampTz, DuckDbType.UHugeInt],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetDuckDbType));
    }

    public void Dispose() => _db.Dispose();

    private static object ReadAs(DuckDbDataReader reader, Type type)
    {
        try
        {
            return typeof(DuckDbDataReader).GetMethod(nameof(DuckDbDataReader.GetFieldValue))!.MakeGenericMethod(type).Invoke(reader, [0])!;
        }
        catch (System.Reflection.TargetInvocationException error) when (error.InnerException is not null)
        {
            throw error.InnerException;
        }
    }
}
