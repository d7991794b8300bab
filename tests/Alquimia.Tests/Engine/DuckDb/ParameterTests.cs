using System.Data.Common;
using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>Binding values of every CLR type, by position (<c>?</c>, <c>$1</c>) and by name (<c>$name</c>).</summary>
public sealed class ParameterTests : IDisposable
{
    /// <summary>A value, the DuckDB type it binds as, and what it reads back as when it differs from the value.</summary>
    private static readonly Dictionary<string, (object? Value, string DuckDbType, object? ReadsAs)> Cases = new()
    {
        ["bool"] = (true, "BOOLEAN", null),
        ["sbyte"] = (sbyte.MinValue, "TINYINT", null),
        ["short"] = (short.MaxValue, "SMALLINT", null),
        ["int"] = (int.MinValue, "INTEGER", null),
        ["long"] = (long.MaxValue, "BIGINT", null),
        ["byte"] = (byte.MaxValue, "UTINYINT", null),
        ["ushort"] = (ushort.MaxValue, "USMALLINT", null),
        ["uint"] = (uint.MaxValue, "UINTEGER", null),
        ["ulong"] = (ulong.MaxValue, "UBIGINT", null),
        ["Int128"] = (Int128.MinValue, "HUGEINT", null),
        ["UInt128"] = (UInt128.MaxValue, "UHUGEINT", null),
        ["float"] = (float.NegativeInfinity, "FLOAT", null),
        ["double"] = (double.NaN, "DOUBLE", null),
        ["decimal"] = (-12.34m, "DECIMAL(38,2)", null),
        ["DuckDbDecimal"] = (new DuckDbDecimal(-123456, 3), "DECIMAL(38,3)", -123.456m),
        ["string"] = ("São Paulo 🦆, longer than twelve bytes", "VARCHAR", null),
        ["empty string"] = ("", "VARCHAR", null),
        ["byte[]"] = (new byte[] { 0, 1, 0xFF }, "BLOB", null),
        ["empty byte[]"] = (Array.Empty<byte>(), "BLOB", null),
        ["ReadOnlyMemory<byte>"] = (new ReadOnlyMemory<byte>([9, 8, 7]), "BLOB", new byte[] { 9, 8, 7 }),
        ["DateOnly"] = (new DateOnly(1, 1, 1), "DATE", null),
        ["DateTime"] = (new DateTime(1969, 7, 20, 20, 17, 40, 123, 456), "TIMESTAMP", null),
        ["DateTime Utc"] = (new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc), "TIMESTAMP WITH TIME ZONE",
            new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero)),
        ["DateTimeOffset"] = (new DateTimeOffset(1969, 12, 31, 21, 0, 0, TimeSpan.FromHours(-3)), "TIMESTAMP WITH TIME ZONE", null),
        ["TimeOnly"] = (new TimeOnly(23, 59, 59, 999, 999), "TIME", null),
        ["TimeSpan"] = (new TimeSpan(-1, -2, -3, -4, -5), "INTERVAL", new DuckDbInterval(0, -1, -7_384_005_000)),
        ["DuckDbInterval"] = (new DuckDbInterval(14, 3, 5_000_001), "INTERVAL", null),
        ["Guid"] = (Guid.Parse("a1b2c3d4-0000-4000-8000-000000000001"), "UUID", null),
        ["enum"] = (DayOfWeek.Monday, "VARCHAR", "Monday"),
        ["null"] = (null, "\"NULL\"", null),
        ["DBNull"] = (DBNull.Value, "\"NULL\"", null),
    };

    private readonly InMemoryDuckDb _db = new();

    public static TheoryData<string> ClrTypes => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(ClrTypes))]
    public void Parameter_BindsAsTheMappedDuckDbType_AndReadsBack(string clrType)
    {
        var (value, duckDbType, readsAs) = Cases[clrType];
        using var command = _db.Command("SELECT typeof($1), $1 AS v", value);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal(duckDbType, reader.GetString(0));
        TypeRoundTripTests.AssertReads(value is DBNull ? null : readsAs ?? value, reader, 1);
    }

    [Fact]
    public void QuestionMarks_AreBoundInTheCollectionsOrder()
    {
        var row = Assert.Single(_db.Rows("SELECT ? - ?, ?", 10, 3, "third"));
        Assert.Equal<object>([7, "third"], row);
    }

    [Fact]
    public void NumberedParameters_MayRepeatAndComeInAnyOrder()
    {
        var row = Assert.Single(_db.Rows("SELECT $2 - $1, $1 * $1, $2", 3, 10));
        Assert.Equal<object>([7, 9, 10], row);
    }

    [Fact]
    public void NamedParameters_AreMatchedByName_NotOrder_WithAnyPrefixAndCase()
    {
        using var command = _db.Connection.CreateCommand("SELECT $cidade || ' ' || $Uf, $n + $n");
        command.Parameters.Add("@uf", "SP");
        command.Parameters.Add("$n", 21);
        command.Parameters.Add(":CIDADE", "São Paulo");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        Assert.Equal("São Paulo SP", reader.GetString(0));
        Assert.Equal(42, reader.GetInt32(1));
    }

    [Fact]
    public void MissingPositionalParameter_Throws_SayingHowManyTheSqlUses()
    {
        using var command = _db.Command("SELECT ?, ?", 1);

        var error = Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar());
        Assert.Contains("parameter 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("only 1 parameter(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingNamedParameter_Throws_NamingIt()
    {
        using var command = _db.Connection.CreateCommand("SELECT $present, $absent");
        command.Parameters.Add("present", 1);

        var error = Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar());
        Assert.Contains("$absent", error.Message, StringComparison.Ordinal);
        Assert.Contains("no parameter named 'absent'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _db.Scalar<int>("SELECT 1"));
    }

    [Fact]
    public void UnsupportedClrType_Throws_NamingTheParameterAndType()
    {
        using var command = _db.Connection.CreateCommand("SELECT $thing");
        command.Parameters.Add("thing", new Uri("https://example.com"));

        var error = Assert.Throws<NotSupportedException>(() => command.ExecuteScalar());
        Assert.Contains("'thing' is a Uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReExecuting_WithNewValues_RebindsThePreparedStatement_EvenToAnotherType()
    {
        using var command = _db.Command("SELECT $1", 1);

        Assert.Equal(1, command.ExecuteScalar());
        command.Parameters[0].Value = 2;
        Assert.Equal(2, command.ExecuteScalar());
        command.Parameters[0].Value = "now text";
        Assert.Equal("now text", command.ExecuteScalar());
    }

    [Fact]
    public void TextWithQuotes_IsStoredVerbatim_NeverRunAsSql()
    {
        const string Hostile = "'); DROP TABLE notes; --";
        _db.Execute("CREATE TABLE notes (body VARCHAR)");

        _db.Execute("INSERT INTO notes VALUES ($1)", Hostile);

        Assert.Equal(Hostile, _db.Scalar<string>("SELECT body FROM notes"));
    }

    [Fact]
    public void Parameters_AreBoundInEveryStatementOfAMultiStatementCommand()
    {
        _db.Execute("CREATE TABLE t (v INTEGER)");
        using var command = _db.Connection.CreateCommand("INSERT INTO t VALUES ($v), ($v + 1); SELECT sum(v)::BIGINT FROM t WHERE v >= $v");
        command.Parameters.Add("v", 20);

        Assert.Equal(41L, command.ExecuteScalar());
    }

    [Fact]
    public void ParametersMadeThroughDbCommand_WorkLikeTypedOnes()
    {
        DbCommand command = _db.Connection.CreateCommand();
        command.CommandText = "SELECT $greeting || ', ' || $name";
        foreach (var (name, value) in new[] { ("greeting", "Olá"), ("name", "Ana") })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        Assert.Equal("Olá, Ana", command.ExecuteScalar());
        Assert.True(command.Parameters.Contains("$name"));
        command.Dispose();
    }

    public void Dispose() => _db.Dispose();
}
