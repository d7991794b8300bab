using DuckDB.NET.Native;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Warehouse.DuckDb;

/// <summary>
/// Cancellation tokens, <c>Cancel()</c> and <c>CommandTimeout</c> interrupt the running query inside DuckDB; the
/// connection stays usable. The long query would run for a minute or more if the interrupt did not reach it.
/// </summary>
public sealed class CancellationTests : IDisposable
{
    private const string LongQuery = "SELECT count(*) FROM range(100000000000)";

    private static readonly TimeSpan WhileRunning = TimeSpan.FromMilliseconds(300);

    private readonly InMemoryDuckDb _db = new();

    [Fact]
    public async Task ExecuteScalarAsync_CancelledWhileTheQueryRuns_ThrowsOperationCanceled_AndTheConnectionStaysUsable()
    {
        using var cancellation = new CancellationTokenSource(WhileRunning);
        using var command = _db.Connection.CreateCommand(LongQuery);

        var task = command.ExecuteScalarAsync(cancellation.Token);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);

        // A cancelled task, as callers of Task-returning methods expect, carrying the caller's token.
        Assert.True(task.IsCanceled);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal(42, _db.Scalar<int>("SELECT 42"));
        command.CommandText = "SELECT count(*) FROM range(3)";
        Assert.Equal(3L, await command.ExecuteScalarAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ExecuteNonQueryAsync_CancelledWhileTheQueryRuns_ThrowsOperationCanceled_AndLeavesNothingBehind()
    {
        using var cancellation = new CancellationTokenSource(WhileRunning);
        using var command = _db.Connection.CreateCommand($"CREATE TABLE never AS {LongQuery}");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(cancellation.Token));

        Assert.Equal(0L, _db.Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'never'"));
    }

    [Fact]
    public async Task AlreadyCancelledToken_ThrowsBeforeAnythingRuns()
    {
        using var command = _db.Connection.CreateCommand("CREATE TABLE never (v INTEGER)");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(new CancellationToken(canceled: true)));

        Assert.Equal(0L, _db.Scalar<long>("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'never'"));
    }

    [Fact]
    public async Task TokenCancelledAfterTheQueryFinished_DoesNotInterruptTheConnectionsNextQuery()
    {
        using var cancellation = new CancellationTokenSource();
        using var command = _db.Connection.CreateCommand("SELECT 1");
        Assert.Equal(1, await command.ExecuteScalarAsync(cancellation.Token));

        await cancellation.CancelAsync();

        Assert.Equal(1_000_000L, _db.Scalar<long>("SELECT count(*) FROM range(1000000)"));
    }

    [Fact]
    public void CommandTimeout_InterruptsALongQuery_WithAMessageSayingSo()
    {
        using var command = _db.Connection.CreateCommand(LongQuery);
        command.CommandTimeout = 1;

        var error = Assert.Throws<DuckDbEngineException>(() => command.ExecuteScalar());

        Assert.Equal(DuckDBErrorType.Interrupt, error.ErrorType);
        Assert.Contains("timeout of 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("CommandTimeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(LongQuery, error.Sql);
        Assert.Equal(42, _db.Scalar<int>("SELECT 42"));
    }

    [Fact]
    public void CommandTimeout_DoesNotAffectAQueryThatFinishesInTime()
    {
        using var command = _db.Connection.CreateCommand("SELECT count(*) FROM range(1000)");
        command.CommandTimeout = 30;

        Assert.Equal(1000L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Cancel_FromAnotherThread_InterruptsTheRunningQuery()
    {
        using var command = _db.Connection.CreateCommand(LongQuery);
        var running = Task.Run(command.ExecuteScalar);

        // DuckDB forgets an interrupt that lands before its query starts, so keep asking until the query stops.
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(WhileRunning));
            command.Cancel();
        }

        var error = await Assert.ThrowsAsync<DuckDbEngineException>(() => running);
        Assert.Equal(DuckDBErrorType.Interrupt, error.ErrorType);
        Assert.Equal(42, _db.Scalar<int>("SELECT 42"));
    }

    [Fact]
    public void StreamingRead_CancelledMidway_ThrowsOperationCanceled_AndStopsReading()
    {
        // DuckDB.NET's own token interrupts a statement while it executes, not a streaming read under way.
        using var cancellation = new CancellationTokenSource();
        long rows = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => _db.Connection.Query(
            "SELECT range FROM range(100000000000)",
            reader =>
            {
                if (++rows == 1000)
                {
                    cancellation.Cancel();
                }

                return rows < 100_000_000 ? 0 : throw new InvalidOperationException("The streamed query kept producing rows after it was cancelled.");
            },
            cancellation.Token));
        Assert.Equal(42, _db.Scalar<int>("SELECT 42"));
    }

    [Fact]
    public async Task ClosingTheConnection_BeforeTheReader_ThenCancelling_DoesNotThrowFromCancel()
    {
        using var cancellation = new CancellationTokenSource();
        using var command = _db.Connection.CreateCommand("SELECT 1");
        using var reader = await command.ExecuteReaderAsync(cancellation.Token);

        _db.Connection.Close();

        var cancel = Record.Exception(cancellation.Cancel);
        Assert.Null(cancel);
        reader.Close();
        Assert.True(reader.IsClosed);
    }

    public void Dispose() => _db.Dispose();
}
