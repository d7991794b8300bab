using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>
/// The column names in the appender's messages: read from the table the appender writes to, without running a
/// query on the connection.
/// </summary>
public sealed class AppenderColumnNameTests : IDisposable
{
    private readonly InMemoryDuckDb _db = new();

    // Only creating the appender and refusing a value: DuckDB writes each batch of rows (every 204,800 rows, and at
    // Flush and Close) with an INSERT on the connection, which ends a streaming result open on it.
    [Fact]
    public void CreatingAnAppender_LeavesAStreamingReaderOnTheSameConnectionReadable()
    {
        _db.Execute("CREATE TABLE source AS SELECT range AS id FROM range(100000)");
        _db.Execute("CREATE TABLE target (id BIGINT, label VARCHAR)");
        using var command = _db.Connection.CreateCommand("SELECT id FROM source ORDER BY id");
        Assert.True(command.UseStreamingMode);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        long sum = reader.GetInt64(0);
        long rows = 1;

        using (var appender = _db.Connection.CreateAppender("target"))
        {
            var error = Assert.Throws<InvalidCastException>(() => appender.CreateRow().Append("not an id"));
            Assert.Contains("Column 'id' is BIGINT", error.Message, StringComparison.Ordinal);
            error = Assert.Throws<InvalidCastException>(() => appender.CreateRow().Append(1L).Append(2L));
            Assert.Contains("Column 'label' is VARCHAR", error.Message, StringComparison.Ordinal);

            while (reader.Read())
            {
                sum += reader.GetInt64(0);
                rows++;
            }
        }

        Assert.Equal(100_000L, rows);
        Assert.Equal(99_999L * 100_000 / 2, sum);
    }

    [Fact]
    public void ReaderNotStreaming_CanFeedAnAppenderOnTheSameConnection_ThroughItsFlushes()
    {
        _db.Execute("CREATE TABLE source AS SELECT range AS id FROM range(300000)");
        _db.Execute("CREATE TABLE target (id BIGINT)");
        using (var command = _db.Connection.CreateCommand("SELECT id FROM source"))
        {
            command.UseStreamingMode = false;
            using var reader = command.ExecuteReader();
            using var appender = _db.Connection.CreateAppender("target");
            while (reader.Read())
            {
                appender.CreateRow().Append(reader.GetInt64(0)).EndRow();
            }
        }

        Assert.Equal(300_000L, _db.Scalar<long>("SELECT count(DISTINCT id) FROM target"));
    }

    [Fact]
    public void ColumnNames_ComeFromTheAppendersTable_NotOneOfTheSameNameInAnotherDatabase()
    {
        _db.Execute("ATTACH ':memory:' AS other");
        _db.Execute("CREATE TABLE other.main.chamado (x VARCHAR, y VARCHAR)");
        _db.Execute("CREATE TABLE chamado (id INTEGER, aberto_em TIMESTAMP)");

        foreach (var appender in new[] { _db.Connection.CreateAppender("chamado"), _db.Connection.CreateAppender("main", "chamado") })
        {
            using (appender)
            {
                var error = Assert.Throws<InvalidCastException>(() => appender.CreateRow().Append(1).Append("2024-01-01"));
                Assert.Contains("Column 'aberto_em' is TIMESTAMP", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void TableWithGeneratedColumns_NumbersTheColumnsInMessages_SinceTheirNamesCannotBeMatchedUp()
    {
        // The appender leaves generated columns out; DuckDB's table description lists them without saying which they are.
        _db.Execute("CREATE TABLE generated (a INTEGER, doubled INTEGER GENERATED ALWAYS AS (a * 2), label VARCHAR)");
        using (var appender = _db.Connection.CreateAppender("generated"))
        {
            var row = appender.CreateRow().Append(1);
            var error = Assert.Throws<InvalidCastException>(() => row.Append(2));
            Assert.Contains("Column '#2' is VARCHAR", error.Message, StringComparison.Ordinal);
            row.Append("one").EndRow();
        }

        Assert.Equal(2, _db.Scalar<int>("SELECT doubled FROM generated"));
    }

    public void Dispose() => _db.Dispose();
}
