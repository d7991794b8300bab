using System.Security.Cryptography;
using System.Text;
using Alquimia.Engine.DuckDb;
using Alquimia.Engine.DuckDb.Native;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary><see cref="DuckDbAppender"/>: bulk loads read back equal, and values that do not fit are refused by column.</summary>
public sealed class AppenderTests : IDisposable
{
    private const int MillionRows = 1_000_000;

    private static readonly DateTime FirstTimestamp = new(1900, 1, 1);

    private readonly InMemoryDuckDb _db = new();

    [Fact]
    public void Appender_LoadsOneMillionRows_AndTheyReadBackEqual()
    {
        _db.Execute("CREATE TABLE events (id BIGINT, amount DOUBLE, label VARCHAR, happened_at TIMESTAMP)");
        using (var appender = _db.Connection.CreateAppender("events"))
        {
            for (var i = 0; i < MillionRows; i++)
            {
                var (amount, label, at) = Row(i);
                appender.CreateRow().Append((long)i).Append(amount).Append(label).Append(at).EndRow();
            }

            Assert.Equal(MillionRows, appender.RowsAppended);
        }

        var rows = Enumerable.Range(0, MillionRows).Select(Row).ToList();
        var amounts = rows.Where(row => row.Amount.HasValue).Select(row => row.Amount!.Value).ToList();
        var labels = rows.Where(row => row.Label is not null).Select(row => row.Label!).ToList();
        var micros = rows.Where(row => row.At.HasValue).Select(row => (row.At!.Value - DateTime.UnixEpoch).Ticks / 10).ToList();

        using var command = _db.Connection.CreateCommand(
            "SELECT count(*), sum(id), count(amount), sum(amount), min(amount), max(amount), count(label), sum(strlen(label)), "
            + "sha256(string_agg(label, '|' ORDER BY id)), count(happened_at), sum(epoch_us(happened_at)), epoch_us(min(happened_at)), epoch_us(max(happened_at)) FROM events");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(MillionRows, reader.GetInt64(0));
        Assert.Equal((Int128)MillionRows * (MillionRows - 1) / 2, reader.GetFieldValue<Int128>(1));
        Assert.Equal(amounts.Count, reader.GetInt64(2));
        Assert.Equal(amounts.Sum(), reader.GetDouble(3));
        Assert.Equal(amounts.Min(), reader.GetDouble(4));
        Assert.Equal(amounts.Max(), reader.GetDouble(5));
        Assert.Equal(labels.Count, reader.GetInt64(6));
        Assert.Equal(labels.Sum(label => (long)Encoding.UTF8.GetByteCount(label)), reader.GetFieldValue<Int128>(7));
        Assert.Equal(Sha256Hex(string.Join('|', labels)), reader.GetString(8));
        Assert.Equal(micros.Count, reader.GetInt64(9));
        Assert.Equal(micros.Aggregate(Int128.Zero, (sum, value) => sum + value), reader.GetFieldValue<Int128>(10));
        Assert.Equal(micros.Min(), reader.GetInt64(11));
        Assert.Equal(micros.Max(), reader.GetInt64(12));

        int[] spotIds = [0, 1, 2047, 2048, 2049, 4095, 4096, 77_777, 500_000, MillionRows - 1, .. SeededIds(20)];
        var spotRows = _db.Rows($"SELECT id, amount, label, happened_at FROM events WHERE id IN ({string.Join(", ", spotIds)}) ORDER BY id");
        Assert.Equal(spotIds.Distinct().Order().Select(id => (long)id), spotRows.Select(row => (long)row[0]));
        foreach (var row in spotRows)
        {
            var (amount, label, at) = Row((int)(long)row[0]);
            Assert.Equal(amount.HasValue ? amount.Value : DBNull.Value, row[1]);
            Assert.Equal(label ?? (object)DBNull.Value, row[2]);
            Assert.Equal(at.HasValue ? at.Value : DBNull.Value, row[3]);
        }
    }

    [Fact]
    public void Utf8Bytes_LandAsTheirText_AndInvalidUtf8IsRefusedNamingTheColumn()
    {
        _db.Execute("CREATE TABLE notas (texto VARCHAR)");
        using (var appender = _db.Connection.CreateAppender("notas"))
        {
            appender.CreateRow().AppendUtf8("ação"u8).EndRow();
            appender.CreateRow().AppendUtf8(System.Text.Encoding.UTF8.GetBytes(new string('é', 40))).EndRow();
            var refused = Assert.Throws<ArgumentException>(() => appender.CreateRow().AppendUtf8([0x61, 0xC3, 0x28]));
            Assert.Contains("column 'texto' (VARCHAR) is not valid UTF-8", refused.Message, StringComparison.Ordinal);
            appender.CreateRow().AppendUtf8(""u8).EndRow();
        }

        Assert.Equal("ação|" + new string('é', 40) + "|", _db.Scalar<string>("SELECT string_agg(texto, '|' ORDER BY rowid) FROM notas"));
    }

    [Fact]
    public void Flush_MakesTheRowsSoFarVisible_BeforeTheAppenderCloses()
    {
        _db.Execute("CREATE TABLE t (v INTEGER)");
        using var appender = _db.Connection.CreateAppender("t");
        for (var i = 0; i < 3000; i++)
        {
            appender.CreateRow().Append(i).EndRow();
        }

        Assert.Equal(0L, _db.Scalar<long>("SELECT count(*) FROM t"));
        appender.Flush();
        Assert.Equal(3000L, _db.Scalar<long>("SELECT count(*) FROM t"));
        Assert.Equal(2999L * 3000 / 2, _db.Scalar<long>("SELECT sum(v)::BIGINT FROM t"));
    }

    [Fact]
    public void TypeMismatch_IsRefused_NamingTheColumnAndBothTypes_AndTheRowCanContinue()
    {
        _db.Execute("CREATE TABLE chamados (id BIGINT, aberto_em TIMESTAMP, status VARCHAR)");
        using (var appender = _db.Connection.CreateAppender("chamados"))
        {
            var row = appender.CreateRow().Append(1L);

            var error = Assert.Throws<InvalidCastException>(() => row.Append("2024-01-01"));
            Assert.Contains("Column 'aberto_em' is TIMESTAMP", error.Message, StringComparison.Ordinal);
            Assert.Contains("String", error.Message, StringComparison.Ordinal);

            row.Append(new DateTime(2024, 1, 1)).Append("aberto").EndRow();
        }

        var stored = Assert.Single(_db.Rows("SELECT * FROM chamados"));
        Assert.Equal<object>([1L, new DateTime(2024, 1, 1), "aberto"], stored);
    }

    [Fact]
    public void TooFewValues_InARow_ThrowOnEndRow_SayingHowManyColumnsThereAre()
    {
        _db.Execute("CREATE TABLE pair (a INTEGER, b INTEGER)");
        using var appender = _db.Connection.CreateAppender("pair");
        var row = appender.CreateRow().Append(1);

        var error = Assert.Throws<InvalidOperationException>(row.EndRow);
        Assert.Contains("has 1 value(s), but 'pair' has 2 columns", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => appender.CreateRow());
    }

    [Fact]
    public void TooManyValues_InARow_Throw_SayingHowManyColumnsThereAre()
    {
        _db.Execute("CREATE TABLE pair (a INTEGER, b INTEGER)");
        using var appender = _db.Connection.CreateAppender("pair");
        var row = appender.CreateRow().Append(1).Append(2);

        var error = Assert.Throws<InvalidOperationException>(() => row.Append(3));
        Assert.Contains("more values than 'pair' has columns (2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowNotEnded_IsDiscarded_WhenTheAppenderCloses()
    {
        _db.Execute("CREATE TABLE pair (a INTEGER, b INTEGER)");
        using (var appender = _db.Connection.CreateAppender("pair"))
        {
            appender.CreateRow().Append(1).Append(2).EndRow();
            appender.CreateRow().Append(3);
        }

        var row = Assert.Single(_db.Rows("SELECT * FROM pair"));
        Assert.Equal<object>([1, 2], row);
    }

    [Theory]
    [InlineData("TINYINT", 300L)]
    [InlineData("UTINYINT", -1L)]
    [InlineData("UINTEGER", 5_000_000_000L)]
    public void IntegerThatDoesNotFit_IsRefused_NamingTheColumn(string type, long value)
    {
        _db.Execute($"CREATE TABLE small (n {type})");
        using var appender = _db.Connection.CreateAppender("small");

        var error = Assert.Throws<OverflowException>(() => appender.CreateRow().Append(value));
        Assert.Contains($"'n' ({type})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampOutsideTimestampNsRange_IsRefused_NamingTheColumn()
    {
        _db.Execute("CREATE TABLE precise (measured TIMESTAMP_NS)");
        using (var appender = _db.Connection.CreateAppender("precise"))
        {
            var error = Assert.Throws<OverflowException>(() => appender.CreateRow().Append(new DateTime(3000, 1, 1)));
            Assert.Contains("'measured' (TIMESTAMP_NS)", error.Message, StringComparison.Ordinal);
            Assert.Throws<OverflowException>(() => appender.CreateRow().Append(new DateTime(1600, 1, 1)));
            appender.CreateRow().Append(new DateTime(2262, 4, 11)).EndRow();
        }

        Assert.Equal(new DateTime(2262, 4, 11), _db.Scalar<DateTime>("SELECT measured FROM precise"));
    }

    [Fact]
    public void DateTimeWithATimeOfDay_IsRefusedByADateColumn()
    {
        _db.Execute("CREATE TABLE days (d DATE)");
        using (var appender = _db.Connection.CreateAppender("days"))
        {
            Assert.Throws<OverflowException>(() => appender.CreateRow().Append(new DateTime(2024, 1, 1, 10, 0, 0)));
            appender.CreateRow().Append(new DateTime(2024, 1, 1)).EndRow();
        }

        Assert.Equal(new DateOnly(2024, 1, 1), _db.Scalar<DateOnly>("SELECT d FROM days"));
    }

    [Fact]
    public void UnspecifiedDateTime_IsRefusedByATimestampTzColumn_SayingWhatToPassInstead()
    {
        _db.Execute("CREATE TABLE chamados (aberto_em TIMESTAMPTZ)");
        using (var appender = _db.Connection.CreateAppender("chamados"))
        {
            var error = Assert.Throws<ArgumentException>(() => appender.CreateRow().Append(new DateTime(2024, 1, 1, 12, 0, 0)));
            Assert.Contains("Column 'aberto_em' is TIMESTAMP WITH TIME ZONE", error.Message, StringComparison.Ordinal);
            Assert.Contains("Unspecified kind", error.Message, StringComparison.Ordinal);
            Assert.Contains("DateTimeOffset, or a DateTime of Utc (or Local) kind", error.Message, StringComparison.Ordinal);

            Assert.Throws<ArgumentException>(() => appender.CreateRow().AppendValue(new DateTime(2024, 1, 1)));
            appender.CreateRow().Append(new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc)).EndRow();
        }

        Assert.Equal(1L, _db.Scalar<long>("SELECT count(*) FROM chamados"));
    }

    [Fact]
    public void UtcAndLocalDateTimes_AreStoredAsTheirInstant_InATimestampTzColumn_AsParametersStoreThem()
    {
        var utc = new DateTime(2024, 6, 1, 11, 30, 0, DateTimeKind.Utc);
        var local = new DateTime(2024, 6, 1, 8, 30, 0, DateTimeKind.Local);
        _db.Execute("CREATE TABLE instants (id INTEGER, happened_at TIMESTAMPTZ)");
        using (var appender = _db.Connection.CreateAppender("instants"))
        {
            appender.CreateRow().Append(1).Append(utc).EndRow();
            appender.CreateRow().Append(2).Append(local).EndRow();
        }

        _db.Execute("INSERT INTO instants VALUES (3, $1)", utc);

        var stored = _db.Rows("SELECT happened_at FROM instants ORDER BY id").Select(row => (DateTimeOffset)row[0]).ToList();
        Assert.Equal([new DateTimeOffset(utc), new DateTimeOffset(local), new DateTimeOffset(utc)], stored);
    }

    [Fact]
    public void NestedColumn_IsNamedByItsWholeType_WhenItRefusesAValue()
    {
        _db.Execute("CREATE TABLE nested (s STRUCT(a INTEGER, tags VARCHAR[]), m MAP(VARCHAR, INTEGER[2]), u UNION(n INTEGER, t VARCHAR), b BIT)");
        using var appender = _db.Connection.CreateAppender("nested");
        var row = appender.CreateRow();
        foreach (var (column, type) in new[]
        {
            ("s", "STRUCT(a INTEGER, tags VARCHAR[])"), ("m", "MAP(VARCHAR, INTEGER[2])"), ("u", "UNION(n INTEGER, t VARCHAR)"), ("b", "BIT"),
        })
        {
            var error = Assert.Throws<InvalidCastException>(() => row.Append("x"));
            Assert.Contains($"Column '{column}' is {type}; a String cannot", error.Message, StringComparison.Ordinal);
            row = row.AppendNull();
        }

        row.EndRow();
    }

    [Fact]
    public void NullInANestedColumn_IsNullAllTheWayDown()
    {
        // Each NULL must reach the child vectors too: DuckDB copies them as they are, and an unset list entry once
        // sent it reading strings from a wild address. Past one chunk, so that a reset chunk is written as well.
        const int rows = 5000;
        _db.Execute(
            "CREATE TABLE nested (id INTEGER, s STRUCT(a INTEGER, tags VARCHAR[], inner_s STRUCT(x VARCHAR)), l VARCHAR[], m MAP(VARCHAR, INTEGER[2]), "
            + "u UNION(n INTEGER, t VARCHAR), arr STRUCT(v VARCHAR)[3])");
        using (var appender = _db.Connection.CreateAppender("nested"))
        {
            for (var i = 0; i < rows; i++)
            {
                appender.CreateRow().Append(i).AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().EndRow();
            }
        }

        var counts = _db.Rows(
            """
            SELECT count(*), count(s), count(s.a), count(s.tags), count(s.inner_s), count(s.inner_s.x), count(l), count(m),
                   count(u), count(union_tag(u)), count(u.n), count(u.t), count(arr)
            FROM nested
            """)[0];
        Assert.Equal([(long)rows, .. Enumerable.Repeat(0L, 12)], counts.Select(Convert.ToInt64));
    }

    [Fact]
    public void MismatchMessage_UsesTheRightArticle()
    {
        _db.Execute("CREATE TABLE t (v VARCHAR)");
        using var appender = _db.Connection.CreateAppender("t");

        Assert.Contains("an integer cannot", Assert.Throws<InvalidCastException>(() => appender.CreateRow().Append(1)).Message, StringComparison.Ordinal);
        Assert.Contains("a UInt128 cannot", Assert.Throws<InvalidCastException>(() => appender.CreateRow().Append(UInt128.One)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("7fffffff-ffff-ffff-ffff-ffffffffffff")]
    [InlineData("80000000-0000-0000-0000-000000000000")]
    [InlineData("a1b2c3d4-e5f6-4788-99aa-bbccddeeff00")]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff")]
    public void DuckDbUuid_IsTheNumberDuckDbMakesOfTheUuid_AndReadsBack(string text)
    {
        var guid = Guid.Parse(text);
        var number = DuckDbUuid.ToUHugeInt(guid);
        var stored = DuckDbUuid.ToHugeInt(guid);

        Assert.Equal(UInt128.Parse(text.Replace("-", "", StringComparison.Ordinal), System.Globalization.NumberStyles.HexNumber, null), number.ToUInt128());
        Assert.Equal((Int128)number.ToUInt128() - ((Int128)1 << 127), stored.ToInt128());
        Assert.Equal(guid, DuckDbUuid.FromUHugeInt(number));
        Assert.Equal(guid, DuckDbUuid.FromHugeInt(stored));
    }

    [Fact]
    public void AppendedGuids_SortInDuckDbAsTheirText()
    {
        List<Guid> guids = [
            Guid.Parse("80000000-0000-0000-0000-000000000000"), Guid.Parse("00000000-0000-0000-0000-000000000001"),
            Guid.Parse("ffffffff-0000-0000-0000-000000000000"), Guid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff")];
        _db.Execute("CREATE TABLE ids (id UUID)");
        using (var appender = _db.Connection.CreateAppender("ids"))
        {
            guids.ForEach(guid => appender.CreateRow().Append(guid).EndRow());
        }

        Assert.Equal(guids.OrderBy(guid => guid.ToString(), StringComparer.Ordinal), _db.Rows("SELECT id FROM ids ORDER BY id").Select(row => (Guid)row[0]));
        Assert.Equal(guids.Select(guid => guid.ToString()).Order(StringComparer.Ordinal), _db.Rows("SELECT id::VARCHAR FROM ids ORDER BY id").Select(row => (string)row[0]));
    }

    [Fact]
    public void EnumValueThatIsNotAMember_IsRefused_ListingTheMembers()
    {
        _db.Execute("CREATE TYPE status AS ENUM ('aberto', 'fechado')");
        _db.Execute("CREATE TABLE chamados (s status)");
        using var appender = _db.Connection.CreateAppender("chamados");

        var error = Assert.Throws<ArgumentException>(() => appender.CreateRow().Append("pendente"));
        Assert.Contains("'pendente' is not a member of the ENUM of column 's'", error.Message, StringComparison.Ordinal);
        Assert.Contains("aberto, fechado", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTable_ThrowsDuckDbException_NamingIt()
    {
        var error = Assert.Throws<DuckDbException>(() => _db.Connection.CreateAppender("bronze", "nowhere"));
        Assert.Contains("'bronze.nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Equal(DuckDbErrorType.Catalog, error.ErrorType);
    }

    [Fact]
    public void SchemaQualifiedAppender_WritesToThatSchemasTable()
    {
        _db.Execute("CREATE SCHEMA bronze; CREATE TABLE bronze.t (v VARCHAR); CREATE TABLE main.t (v VARCHAR)");
        using (var appender = _db.Connection.CreateAppender("bronze", "t"))
        {
            Assert.Equal("bronze.t", appender.Table);
            appender.CreateRow().Append("in bronze").EndRow();
        }

        Assert.Equal("in bronze", _db.Scalar<string>("SELECT v FROM bronze.t"));
        Assert.Equal(0L, _db.Scalar<long>("SELECT count(*) FROM main.t"));
    }

    [Fact]
    public void ClosedAppender_RefusesNewRows()
    {
        _db.Execute("CREATE TABLE t (v INTEGER)");
        var appender = _db.Connection.CreateAppender("t");
        appender.CreateRow().Append(1).EndRow();
        appender.Dispose();

        Assert.Throws<ObjectDisposedException>(() => appender.CreateRow());
        Assert.Equal(1L, _db.Scalar<long>("SELECT count(*) FROM t"));
    }

    [Fact]
    public void ConstraintViolation_IsReportedWhenTheChunkIsWritten()
    {
        _db.Execute("CREATE TABLE keyed (id INTEGER PRIMARY KEY)");
        var appender = _db.Connection.CreateAppender("keyed");
        appender.CreateRow().Append(1).EndRow();
        appender.CreateRow().Append(1).EndRow();

        var error = Assert.Throws<DuckDbException>(appender.Close);
        Assert.Contains("'keyed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("duplicate key \"1\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(DuckDbErrorType.Constraint, error.ErrorType);
        Assert.Equal(0L, _db.Scalar<long>("SELECT count(*) FROM keyed"));
    }

    public void Dispose() => _db.Dispose();

    private static (double? Amount, string? Label, DateTime? At) Row(int i) => (
        i % 7 == 0 ? null : (i * 0.5) - 1000,
        i % 11 == 0 ? null : (i % 3) switch
        {
            0 => $"row {i}, a label longer than twelve bytes",
            1 => $"ação {i}",
            _ => $"r{i}",
        },
        i % 13 == 0 ? null : FirstTimestamp.AddTicks(i * 36_000_000_010L));

    private static IEnumerable<int> SeededIds(int count)
    {
        var random = new Random(7);
        return Enumerable.Range(0, count).Select(_ => random.Next(MillionRows));
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
