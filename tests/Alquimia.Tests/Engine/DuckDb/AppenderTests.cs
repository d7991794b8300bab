using System.Security.Cryptography;
using System.Text;
using Alquimia.Engine.DuckDb;

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
