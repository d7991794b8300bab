using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// What the checked appender guarantees where DuckDB.NET's own appender stores a wrong value without a word: each
/// test fails against <c>DuckDBConnection.CreateAppender</c>.
/// </summary>
public sealed class CheckedAppenderTests : IDisposable
{
    private readonly InMemoryDuckDb _db = new();

    [Fact]
    public void AValueOfAnotherWidth_IsRefused_NamingTheColumnAndWhatItTakes_WhereDuckDbNetStoresItsBytes()
    {
        // DuckDB.NET stored a long appended to INTEGER as 5,0,6 and 100000 into SMALLINT as -31072.
        _db.Execute("CREATE TABLE t (id INTEGER, n SMALLINT, total BIGINT)");
        using var appender = _db.Connection.CreateCheckedAppender("t");

        var error = Assert.Throws<InvalidOperationException>(() => appender.CreateRow().Append(5L));
        Assert.Contains("Column 'id' of 't' is INTEGER: append a int, not a long", error.Message, StringComparison.Ordinal);
        var sbyteLiteral = Assert.Throws<InvalidOperationException>(() => _db.Connection.CreateCheckedAppender("t").CreateRow().Append(1).Append(1));
        Assert.Contains("'n'", sbyteLiteral.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsOfTheRightTypes_LandExactly()
    {
        _db.Execute("CREATE TABLE t (id INTEGER, n SMALLINT, total BIGINT, label VARCHAR, aberto_em TIMESTAMP, aberto_tz TIMESTAMPTZ, day DATE, ok BOOLEAN)");
        using (var appender = _db.Connection.CreateCheckedAppender("t"))
        {
            appender.CreateRow().Append(7).Append((short)-2).Append(long.MaxValue).Append("São Paulo")
                .Append(new DateTime(2026, 12, 6, 21, 13, 8).AddTicks(1230)).Append(new DateTimeOffset(2026, 12, 6, 18, 13, 8, TimeSpan.FromHours(-3)))
                .Append(new DateOnly(1, 1, 1)).Append(true).EndRow();
            appender.CreateRow().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().EndRow();
        }

        Assert.Equal(
            ["7|-2|9223372036854775807|São Paulo|2026-12-06 21:13:08.000123|2026-12-06 21:13:08+00|0001-01-01|true", "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL"],
            _db.Connection.Query(
                "SELECT concat_ws('|', coalesce(id::VARCHAR, 'NULL'), coalesce(n::VARCHAR, 'NULL'), coalesce(total::VARCHAR, 'NULL'), coalesce(label, 'NULL'), coalesce(aberto_em::VARCHAR, 'NULL'), coalesce(timezone('UTC', aberto_tz)::VARCHAR || '+00', 'NULL'), coalesce(day::VARCHAR, 'NULL'), coalesce(ok::VARCHAR, 'NULL')) FROM t ORDER BY id NULLS LAST",
                reader => reader.GetString(0)));
    }

    [Fact]
    public void Uuids_Blobs_TimesAndTimestampsBeforeTheEpoch_LandAsDuckDbWritesThem()
    {
        _db.Execute("CREATE TABLE t (u UUID, b BLOB, hora TIME, antes TIMESTAMP, dia DATE)");
        var uuid = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        using (var appender = _db.Connection.CreateCheckedAppender("t"))
        {
            // Half a microsecond before a whole second: the microsecond is rounded towards the past, as DuckDB's own cast of the text does.
            appender.CreateRow().Append(uuid).Append(new byte[] { 0x00, 0xFF, 0x10 }).Append(new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)))
                .Append(new DateTime(1969, 12, 31, 23, 59, 59).AddTicks(-5)).Append(new DateOnly(1969, 7, 20)).EndRow();
            appender.CreateRow().Append(Guid.Parse("00000000-0000-0000-0000-000000000001")).Append(ReadOnlySpan<byte>.Empty).Append(TimeOnly.MinValue)
                .Append(DateTime.UnixEpoch).Append(new DateOnly(9999, 12, 31)).EndRow();
        }

        Assert.Equal(
            ["00000000-0000-0000-0000-000000000001||00:00:00|1970-01-01 00:00:00|9999-12-31", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|00FF10|23:59:59.999999|1969-12-31 23:59:58.999999|1969-07-20"],
            _db.Connection.Query("SELECT concat_ws('|', u, hex(b), hora, antes, dia) FROM t ORDER BY u", reader => reader.GetString(0)));
    }

    [Fact]
    public void AppendTime_HoldsTheEndOfTheDay_WhichTimeOnlyCannot_AndRefusesWhatIsPastIt()
    {
        _db.Execute("CREATE TABLE t (hora TIME)");
        using (var appender = _db.Connection.CreateCheckedAppender("t"))
        {
            appender.CreateRow().AppendTime(86_400_000_000).EndRow();
            appender.CreateRow().AppendTime(1).EndRow();
        }

        Assert.Equal(["00:00:00.000001", "24:00:00"], _db.Connection.Query("SELECT hora::VARCHAR FROM t ORDER BY hora", reader => reader.GetString(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _db.Connection.CreateCheckedAppender("t").CreateRow().AppendTime(86_400_000_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => _db.Connection.CreateCheckedAppender("t").CreateRow().AppendTime(-1));
    }

    [Fact]
    public void TextOfEveryLength_IsStoredAsDuckDbStoresIt_InlinedOrNot_AndComparesEqualToTheSameLiteral()
    {
        _db.Execute("CREATE TABLE t (label VARCHAR)");
        string[] labels = ["", "a", "ação", "doze_bytes12", "treze_bytes13", "chamado ☕ " + new string('x', 3000)];
        using (var appender = _db.Connection.CreateCheckedAppender("t"))
        {
            foreach (var label in labels.Concat(labels))
            {
                appender.CreateRow().Append(label).EndRow();
            }

            appender.CreateRow().AppendUtf8("doze_bytes12"u8).EndRow();
        }

        // Equal values group together and match their literal only when the unused bytes of an inlined value are zero.
        Assert.Equal(
            ["0|2", "1|2", "6|2", "12|3", "13|2", "3012|2"],
            _db.Connection.Query("SELECT strlen(label) || '|' || count(*) FROM t GROUP BY label ORDER BY strlen(label)", reader => reader.GetString(0)));
        Assert.Equal(3L, _db.Connection.Scalar<long>("SELECT count(*) FROM t WHERE label = 'doze_bytes12'"));
        Assert.Equal(2L, _db.Connection.Scalar<long>("SELECT count(*) FROM t WHERE label = 'ação'"));
    }

    [Fact]
    public void InvalidUtf8_IsRefused_WhereDuckDbNetStoresNull()
    {
        _db.Execute("CREATE TABLE t (label VARCHAR)");
        using var appender = _db.Connection.CreateCheckedAppender("t");

        Assert.Throws<ArgumentException>(() => appender.CreateRow().AppendUtf8([0x61, 0xC3, 0x28]));
        Assert.Throws<ArgumentException>(() => _db.Connection.CreateCheckedAppender("t").CreateRow().Append("a\uD800b"));
    }

    [Fact]
    public void Decimals_AreRoundedHalfAwayFromZero_ToTheColumnsScale_WhereDuckDbNetTruncates_AndTooWideOnesAreRefused()
    {
        _db.Execute("CREATE TABLE t (v DECIMAL(10,4))");
        using (var appender = _db.Connection.CreateCheckedAppender("t"))
        {
            appender.CreateRow().Append(1.23456m).EndRow();
            appender.CreateRow().Append(-1.23455m).EndRow();
            Assert.Throws<ArgumentOutOfRangeException>(() => appender.CreateRow().Append(1_000_000m));
        }

        Assert.Equal(["-1.2346", "1.2346"], _db.Connection.Query("SELECT v::VARCHAR FROM t ORDER BY v", reader => reader.GetString(0)));
    }

    [Fact]
    public void DecimalsOf38Digits_AndIntervalsWithMonths_LandExactly_WhereDuckDbNetCannotAppendThem()
    {
        // DuckDB.NET appends a DECIMAL through System.Decimal (28 digits) and an INTERVAL through TimeSpan (no months).
        _db.Execute("CREATE TABLE t (id INTEGER, amount DECIMAL(38,10), waited INTERVAL)");
        var wide = new DuckDbDecimal(Int128.Parse("-9999999999999999999999999999.9999999999".Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), 10);
        using (var appender = _db.Connection.CreateCheckedAppender("t"))
        {
            appender.CreateRow().Append(1).Append(wide).Append(new DuckDbInterval(14, -3, 4_320_000_000_001)).EndRow();
            appender.CreateRow().Append(2).AppendNull().Append(TimeSpan.FromHours(1200)).EndRow();
        }

        Assert.Equal(
            ["1|-9999999999999999999999999999.9999999999|1 year 2 months -3 days 1200:00:00.000001", "2|NULL|50 days"],
            _db.Connection.Query("SELECT concat_ws('|', id, coalesce(amount::VARCHAR, 'NULL'), waited::VARCHAR) FROM t ORDER BY id", reader => reader.GetString(0)));
    }

    [Fact]
    public void DecimalText_IsReadToEveryDigit_AndUnsignedBigints_ToTheirTop()
    {
        _db.Execute("CREATE TABLE t (id INTEGER, amount DECIMAL(38,38), big DECIMAL(38,0), money DECIMAL(12,2), top UBIGINT)");
        string[] texts = ["0.99999999999999999999999999999999999999", "-99999999999999999999999999999999999999", "-0.01"];
        var values = texts.Select(text => DuckDbDecimal.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var value) ? value : throw new FormatException(text)).ToList();
        using (var appender = _db.Connection.CreateCheckedAppender("t"))
        {
            appender.CreateRow().Append(1).Append(values[0]).Append(values[1]).Append(values[2]).Append(ulong.MaxValue).EndRow();
        }

        Assert.Equal(
            ["1|.99999999999999999999999999999999999999|-99999999999999999999999999999999999999|-0.01|18446744073709551615"],
            _db.Connection.Query("SELECT concat_ws('|', id, amount, big, money, top) FROM t", reader => reader.GetString(0)));
        foreach (var bad in new[] { "", "-", "1e5", "1.2.3", "1,5", " 1", "123456789012345678901234567890123456789" })
        {
            Assert.False(DuckDbDecimal.TryParse(System.Text.Encoding.UTF8.GetBytes(bad), out _), bad);
        }
    }

    [Fact]
    public void AppendedRows_StayOutOfATransactionRolledBack()
    {
        _db.Execute("CREATE TABLE t (id INTEGER, waited INTERVAL)");
        using (var transaction = _db.Connection.BeginTransaction())
        {
            using (var appender = _db.Connection.CreateCheckedAppender("t"))
            {
                appender.CreateRow().Append(1).Append(new DuckDbInterval(1, 0, 0)).EndRow();
            }

            transaction.Rollback();
        }

        Assert.Equal(0L, _db.Connection.Scalar<long>("SELECT count(*) FROM t"));
    }

    [Fact]
    public void RowsDuckDbRefuses_FailAsAConstraintError_AndNothingOfTheBatchIsKept()
    {
        // DuckDB.NET's message has no kind ("Failed to append: PRIMARY KEY or UNIQUE constraint violation …").
        _db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        var appender = _db.Connection.CreateCheckedAppender("t");

        var error = Assert.Throws<DuckDbEngineException>(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                appender.CreateRow().Append(i % 10).EndRow();
            }

            appender.Dispose();
        });
        appender.Dispose();

        Assert.Equal(DuckDB.NET.Native.DuckDBErrorType.Constraint, error.ErrorType);
        Assert.Contains("duplicate key", error.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => appender.CreateRow());
        Assert.Equal(0L, _db.Connection.Scalar<long>("SELECT count(*) FROM t"));
    }

    public void Dispose() => _db.Dispose();
}
