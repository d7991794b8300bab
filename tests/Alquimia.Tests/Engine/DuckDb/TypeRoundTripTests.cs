using System.Text;
using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>
/// Every scalar type, at its edges and as NULL, written into a typed table through parameters and through the
/// appender, then read back through <see cref="DuckDbDataReader"/> with GetValue and GetFieldValue&lt;T&gt;.
/// </summary>
public sealed class TypeRoundTripTests : IDisposable
{
    /// <summary>Row ids of the appended copies start here; the parameter-inserted ones start at zero.</summary>
    private const int AppendedIds = 1_000;

    private static readonly Dictionary<string, TypeCase> Cases = new()
    {
        ["BOOLEAN"] = new([true, false, null]),
        ["TINYINT"] = new([sbyte.MinValue, sbyte.MaxValue, (sbyte)0, null]),
        ["SMALLINT"] = new([short.MinValue, short.MaxValue, (short)-1, null]),
        ["INTEGER"] = new([int.MinValue, int.MaxValue, 0, null]),
        ["BIGINT"] = new([long.MinValue, long.MaxValue, -1L, null]),
        ["UTINYINT"] = new([byte.MinValue, byte.MaxValue, null]),
        ["USMALLINT"] = new([ushort.MinValue, ushort.MaxValue, null]),
        ["UINTEGER"] = new([uint.MinValue, uint.MaxValue, null]),
        ["UBIGINT"] = new([ulong.MinValue, ulong.MaxValue, null]),
        ["HUGEINT"] = new([Int128.MinValue, Int128.MaxValue, (Int128)0, (Int128)long.MinValue - 1, null]),
        ["UHUGEINT"] = new([UInt128.MinValue, UInt128.MaxValue, (UInt128)ulong.MaxValue + 1, null]),
        ["FLOAT"] = new([float.MinValue, float.MaxValue, float.Epsilon, -0.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, null]),
        ["DOUBLE"] = new([double.MinValue, double.MaxValue, double.Epsilon, 0.1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, null]),
        ["DECIMAL(4,1)"] = new([-999.9m, 999.9m, 0.1m, 0m, null]),
        ["DECIMAL(9,4)"] = new([-99999.9999m, 99999.9999m, 0.0001m, null]),
        ["DECIMAL(18,6)"] = new([-999999999999.999999m, 999999999999.999999m, -0.000001m, null]),
        ["DECIMAL(38,10)"] = new([-7922816251426433759.3543950335m, 7922816251426433759.3543950335m, 0.0000000001m, null]),
        ["DECIMAL(38,0)"] = new([decimal.MinValue, decimal.MaxValue, null]),
        ["VARCHAR"] = new(["", "a", "twelve bytes", "thirteen byte", "ação", "São Paulo", "🦆 quack 🦆", "a string longer than twelve bytes", OneMegabyteString(), null]),
        ["BLOB"] = new([Array.Empty<byte>(), new byte[] { 0, 1, 2, 0xFF }, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, SeededBytes(300_000), null]),
        ["DATE"] = new([new DateOnly(1, 1, 1), new DateOnly(9999, 12, 31), new DateOnly(1969, 7, 20), new DateOnly(1900, 2, 28), new DateOnly(1970, 1, 1), null]),
        ["TIME"] = new([TimeOnly.MinValue, new TimeOnly(23, 59, 59, 999, 999), new TimeOnly(12, 30, 0, 0, 1), null]),
        ["TIMESTAMP"] = new([
            new DateTime(1969, 7, 20, 20, 17, 40, 123, 456), new DateTime(1969, 12, 31, 23, 59, 59, 999, 999), new DateTime(1970, 1, 1),
            new DateTime(1, 1, 1), new DateTime(9999, 12, 31, 23, 59, 59, 999, 999), null]),
        ["TIMESTAMPTZ"] = new([
            new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, 999, TimeSpan.Zero), new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2024, 2, 29, 15, 0, 0, TimeSpan.FromHours(3)), null]),
        ["TIMESTAMP_S"] = new([new DateTime(1969, 7, 20, 20, 17, 40), new DateTime(1, 1, 1), new DateTime(9999, 12, 31, 23, 59, 59), null]),
        ["TIMESTAMP_MS"] = new([new DateTime(1969, 7, 20, 20, 17, 40, 123), new DateTime(1, 1, 1), new DateTime(9999, 12, 31, 23, 59, 59, 999), null]),
        ["TIMESTAMP_NS"] = new([new DateTime(1969, 7, 20, 20, 17, 40, 123, 456), new DateTime(1677, 9, 22), new DateTime(2262, 4, 10, 23, 59, 59, 999, 999), null]),
        ["INTERVAL"] = new([new DuckDbInterval(14, 3, 5_000_001), new DuckDbInterval(-1, -2, -3), new DuckDbInterval(0, 0, 0), new DuckDbInterval(int.MaxValue, int.MinValue, long.MaxValue), null]),
        ["UUID"] = new([
            Guid.Parse("a1b2c3d4-0000-4000-8000-000000000001"), Guid.Empty, Guid.AllBitsSet,
            Guid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff"), Guid.Parse("80000000-0000-0000-0000-000000000000"), null]),
        ["mood"] = new(["sad", "happy", "ação", null], "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ação')"),
    };

    private readonly InMemoryDuckDb _db = new();

    public static TheoryData<string> Types => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Types))]
    public void Value_ReadsBackEqual_AfterInsertThroughParameters(string type)
    {
        var values = CreateTable(type);
        using (var insert = _db.Connection.CreateCommand("INSERT INTO round_trip VALUES ($1, $2)"))
        {
            insert.Parameters.AddValue(null);
            insert.Parameters.AddValue(null);
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[0].Value = i;
                insert.Parameters[1].Value = values[i];
                Assert.Equal(1, insert.ExecuteNonQuery());
            }
        }

        AssertTableHolds(values, firstId: 0);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Value_ReadsBackEqual_AfterAppendingToTypedTable(string type)
    {
        var values = CreateTable(type);
        using (var appender = _db.Connection.CreateAppender("round_trip"))
        {
            for (var i = 0; i < values.Length; i++)
            {
                appender.CreateRow().Append(AppendedIds + i).AppendValue(values[i]).EndRow();
            }
        }

        AssertTableHolds(values, firstId: AppendedIds);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Value_WrittenBothWays_IsTheSameValueToDuckDb(string type)
    {
        var values = CreateTable(type);
        using (var appender = _db.Connection.CreateAppender("round_trip"))
        {
            for (var i = 0; i < values.Length; i++)
            {
                appender.CreateRow().Append(AppendedIds + i).AppendValue(values[i]).EndRow();
                _db.Execute("INSERT INTO round_trip VALUES ($1, $2)", i, values[i]);
            }
        }

        // DuckDB itself compares the copies: IS NOT DISTINCT FROM treats two NULLs (and two NaNs) as equal.
        var mismatches = _db.Scalar<long>(
            $"SELECT count(*) FROM round_trip p JOIN round_trip a ON a.id = p.id + {AppendedIds} WHERE p.v IS DISTINCT FROM a.v");
        Assert.Equal(0, mismatches);
        Assert.Equal(values.Length, _db.Scalar<long>($"SELECT count(*) FROM round_trip p JOIN round_trip a ON a.id = p.id + {AppendedIds}"));
    }

    [Fact]
    public void Timestamp_KeepsHundredNanosecondTicks_WhenAppendedToTimestampNs()
    {
        var value = new DateTime(2001, 2, 3, 4, 5, 6).AddTicks(1_234_567);
        var beforeEpoch = DateTime.UnixEpoch.AddTicks(-1);
        _db.Execute("CREATE TABLE ns (v TIMESTAMP_NS)");
        using (var appender = _db.Connection.CreateAppender("ns"))
        {
            appender.CreateRow().Append(value).EndRow();
            appender.CreateRow().Append(beforeEpoch).EndRow();
        }

        Assert.Equal([value, beforeEpoch], _db.Rows("SELECT v FROM ns ORDER BY v DESC").Select(row => (DateTime)row[0]));
        Assert.Equal(-100L, _db.Scalar<long>("SELECT epoch_ns(min(v)) FROM ns"));
    }

    public void Dispose() => _db.Dispose();

    private object?[] CreateTable(string type)
    {
        var typeCase = Cases[type];
        if (typeCase.Setup is not null)
        {
            _db.Execute(typeCase.Setup);
        }

        _db.Execute($"CREATE TABLE round_trip (id INTEGER, v {type})");
        return typeCase.Values;
    }

    private void AssertTableHolds(object?[] expected, int firstId)
    {
        using var command = _db.Connection.CreateCommand("SELECT id, v FROM round_trip ORDER BY id");
        using var reader = command.ExecuteReader();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(reader.Read(), $"Row {i} is missing.");
            Assert.Equal(firstId + i, reader.GetInt32(0));
            AssertReads(expected[i], reader, 1);
        }

        Assert.False(reader.Read());
    }

    /// <summary>The value is what GetValue and GetFieldValue of its own type read; NULL is DBNull.</summary>
    internal static void AssertReads(object? expected, DuckDbDataReader reader, int ordinal)
    {
        if (expected is null)
        {
            Assert.True(reader.IsDBNull(ordinal));
            Assert.Equal(DBNull.Value, reader.GetValue(ordinal));
            return;
        }

        Assert.False(reader.IsDBNull(ordinal));
        Assert.Equal(expected.GetType(), reader.GetFieldType(ordinal));
        Assert.Equal(expected, reader.GetValue(ordinal));
        var getFieldValue = typeof(DuckDbDataReader).GetMethod(nameof(DuckDbDataReader.GetFieldValue))!.MakeGenericMethod(expected.GetType());
        Assert.Equal(expected, getFieldValue.Invoke(reader, [ordinal]));
    }

    private static string OneMegabyteString()
    {
        var builder = new StringBuilder();
        var bytes = 0;
        for (var i = 0; bytes < 1 << 20; i++)
        {
            var piece = $"ação São Paulo 🦆 {i} ";
            builder.Append(piece);
            bytes += Encoding.UTF8.GetByteCount(piece);
        }

        return builder.ToString();
    }

    private static byte[] SeededBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private sealed record TypeCase(object?[] Values, string? Setup = null);
}
