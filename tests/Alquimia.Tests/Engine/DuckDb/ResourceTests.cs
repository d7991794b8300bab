using Alquimia.Engine.DuckDb;

namespace Alquimia.Tests.Engine.DuckDb;

/// <summary>Tests that measure the whole process (its memory), so they run alone, after every parallel test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTests
{
    public const string Name = "Process-wide measurements";
}

/// <summary>Connections, results and databases give back what they took: no native memory grows per use.</summary>
[Collection(ProcessWideTests.Name)]
public sealed class ResourceTests
{
    private const int WarmUpCycles = 5_000;
    private const int MeasuredCycles = 100_000;

    /// <summary>
    /// Generous: the process's working set moves by a few MB on its own, while a connection leaked per cycle would
    /// add about 9 KB each, some 900 MB over the measured cycles.
    /// </summary>
    private const long AllowedGrowth = 40L * 1024 * 1024;

    [Fact]
    public void OpenQueryClose_HundredThousandTimes_DoesNotGrowTheProcessesMemory()
    {
        var connectionString = $"Data Source=:memory:cycles-{Guid.NewGuid():N}";
        using var keeper = new DuckDbConnection(connectionString);
        keeper.Open();
        using (var create = keeper.CreateCommand("CREATE TABLE marker AS SELECT 42 AS answer"))
        {
            create.ExecuteNonQuery();
        }

        Assert.Equal(WarmUpCycles, RunCycles(connectionString, WarmUpCycles));
        var (workingSetBefore, managedBefore) = MeasureMemory();

        Assert.Equal(MeasuredCycles, RunCycles(connectionString, MeasuredCycles));
        var (workingSetAfter, managedAfter) = MeasureMemory();

        var growth = workingSetAfter - workingSetBefore;
        Assert.True(growth < AllowedGrowth,
            $"The working set grew by {growth / (1024 * 1024)} MB over {MeasuredCycles} open/query/close cycles ({workingSetBefore / (1024 * 1024)} MB → {workingSetAfter / (1024 * 1024)} MB).");
        Assert.True(managedAfter - managedBefore < AllowedGrowth / 4,
            $"The managed heap grew by {(managedAfter - managedBefore) / 1024} KB over {MeasuredCycles} cycles.");
    }

    [Fact]
    public void LastConnectionClosing_ClosesTheFileDatabase_SoItCanReopenWithOtherSettings()
    {
        using var directory = new TempDirectory();
        var path = directory.File("settings.duckdb");
        using (var first = new DuckDbConnection($"Data Source={path};Threads=1"))
        {
            first.Open();
            using var other = new DuckDbConnection($"Data Source={path};Threads=2");
            var refused = Assert.Throws<InvalidOperationException>(other.Open);
            Assert.Contains("already open in this process", refused.Message, StringComparison.Ordinal);
        }

        using var reopened = new DuckDbConnection($"Data Source={path};Threads=2");
        reopened.Open();
        using var command = reopened.CreateCommand("SELECT current_setting('threads')");
        Assert.Equal(2L, command.ExecuteScalar());
    }

    /// <summary>Each cycle opens a connection, runs SELECT 1 and closes it; returns how many cycles read the right answer.</summary>
    private static int RunCycles(string connectionString, int cycles)
    {
        var correct = 0;
        for (var i = 0; i < cycles; i++)
        {
            using var connection = new DuckDbConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand("SELECT 1");
            if (command.ExecuteScalar() is 1)
            {
                correct++;
            }
        }

        return correct;
    }

    private static (long WorkingSet, long Managed) MeasureMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: true));
    }
}
