using DuckDB.NET.Data;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>Many threads, each with its own connection, on one database file of this process.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int Threads = 8;
    private const long RowsPerThread = 250_000;

    private readonly TempDirectory _directory = new();
    private readonly string _connectionString;

    public ConcurrencyTests()
    {
        _connectionString = $"Data Source={_directory.File("shared.duckdb")}";
    }

    [Fact]
    public async Task EightThreads_EachWithItsOwnConnection_SumDifferentRanges_AndGetTheRightAnswers()
    {
        using var owner = Open();
        using (var create = owner.CreateCommand($"CREATE TABLE numbers AS SELECT range AS n FROM range({Threads * RowsPerThread})"))
        {
            create.ExecuteNonQuery();
        }

        using var start = new Barrier(Threads);
        var results = new (long Expected, long Actual)[Threads][];
        // Long-running tasks get threads of their own, so all eight meet at the barrier; a failed assertion fails its task.
        var threads = Enumerable.Range(0, Threads).Select(index => Task.Factory.StartNew(() =>
        {
            using var connection = Open();
            using var command = connection.CreateCommand("SELECT sum(n)::BIGINT, count(*) FROM numbers WHERE n BETWEEN $first AND $last");
            var first = new DuckDBParameter("first", 0L);
            var last = new DuckDBParameter("last", 0L);
            command.Parameters.Add(first);
            command.Parameters.Add(last);
            start.SignalAndWait();
            results[index] = Enumerable.Range(0, 20).Select(round =>
            {
                // Each thread and round asks for its own slice, so a mixed-up answer cannot look right.
                var from = (index * RowsPerThread) + (round * 1000);
                var to = ((index + 1) * RowsPerThread) - 1;
                first.Value = from;
                last.Value = to;
                using var reader = command.ExecuteReader();
                Assert.True(reader.Read());
                Assert.Equal(to - from + 1, reader.GetInt64(1));
                return ((from + to) * (to - from + 1) / 2, reader.GetInt64(0));
            }).ToArray();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();

        await Task.WhenAll(threads);

        Assert.All(results, perThread =>
        {
            Assert.NotNull(perThread);
            Assert.All(perThread, result => Assert.Equal(result.Expected, result.Actual));
        });
    }

    [Fact]
    public void Threads_AppendingThroughTheirOwnConnections_AllRowsArrive()
    {
        using var owner = Open();
        using (var create = owner.CreateCommand("CREATE TABLE arrivals (thread INTEGER, n BIGINT, label VARCHAR)"))
        {
            create.ExecuteNonQuery();
        }

        const int Writers = 4;
        const int Rows = 50_000;
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            using var connection = Open();
            using var appender = connection.CreateCheckedAppender("arrivals");
            for (var i = 0; i < Rows; i++)
            {
                appender.CreateRow().Append(writer).Append((long)i).Append($"writer {writer} row {i}").EndRow();
            }
        });

        using var check = owner.CreateCommand("SELECT thread, count(*), sum(n)::BIGINT, count(DISTINCT label) FROM arrivals GROUP BY thread ORDER BY thread");
        using var reader = check.ExecuteReader();
        for (var writer = 0; writer < Writers; writer++)
        {
            Assert.True(reader.Read());
            Assert.Equal(writer, reader.GetInt32(0));
            Assert.Equal(Rows, reader.GetInt64(1));
            Assert.Equal((long)Rows * (Rows - 1) / 2, reader.GetInt64(2));
            Assert.Equal(Rows, reader.GetInt64(3));
        }

        Assert.False(reader.Read());
    }

    [Fact]
    public void Threads_OpeningAndClosingTheSameFile_ShareOneDatabase_AndLoseNoWrites()
    {
        using (var setup = Open())
        using (var create = setup.CreateCommand("CREATE TABLE visits (thread INTEGER, round INTEGER)"))
        {
            create.ExecuteNonQuery();
        }

        // Nobody holds the file between rounds: the database is opened and closed over and over, from several threads.
        const int Rounds = 40;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, thread =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                using var connection = Open();
                using var insert = connection.CreateCommand("INSERT INTO visits VALUES ($1, $2)");
                insert.Parameters.Add(new DuckDBParameter(thread));
                insert.Parameters.Add(new DuckDBParameter(round));
                Assert.Equal(1, insert.ExecuteNonQuery());
            }
        });

        using var check = Open();
        using var count = check.CreateCommand("SELECT count(*), count(DISTINCT (thread, round)) FROM visits");
        using var reader = count.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(4 * Rounds, reader.GetInt64(0));
        Assert.Equal(4 * Rounds, reader.GetInt64(1));
    }

    public void Dispose() => _directory.Dispose();

    private CheckedConnection Open()
    {
        var connection = new CheckedConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
