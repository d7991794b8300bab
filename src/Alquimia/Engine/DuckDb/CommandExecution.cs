using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// One execution of a command, from the first statement to the reader's close (the timeout counts all of it,
/// reading included): it interrupts the running step when the caller's token is cancelled or the command's timeout
/// passes, and turns DuckDB's "Interrupted" error into what the caller asked for: <see cref="OperationCanceledException"/>
/// or a timeout message.
/// </summary>
internal sealed class CommandExecution : IDisposable
{
    private readonly DuckDbConnection _connection;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenRegistration _cancellationRegistration;
    private readonly CancellationTokenRegistration _timeoutRegistration;
    private readonly int _timeoutSeconds;
    private readonly long _startedAt = TimeProvider.System.GetTimestamp();

    public CommandExecution(DuckDbConnection connection, int timeoutSeconds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _connection = connection;
        _cancellationToken = cancellationToken;
        _timeoutSeconds = timeoutSeconds;
        if (timeoutSeconds > 0)
        {
            _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            _timeoutRegistration = _timeout.Token.Register(Interrupt);
        }

        _cancellationRegistration = cancellationToken.Register(Interrupt);
    }

    /// <summary>True once the caller's token is cancelled or the command's timeout has passed.</summary>
    public bool IsCancellationRequested => _cancellationToken.IsCancellationRequested || _timeout?.IsCancellationRequested == true;

    /// <summary>
    /// Asks DuckDB to stop this execution's running step; it fails with an Interrupt error soon after. Does nothing
    /// while another execution runs on the connection: <c>duckdb_interrupt</c> stops whatever the connection runs,
    /// and a timer or token of this execution must never stop another command's query.
    /// </summary>
    public void Interrupt()
    {
        lock (_connection.ExecutionLock)
        {
            if (_connection.RunningExecution == this)
            {
                Startup.Interrupt(_connection.Handle);
            }
        }
    }

    /// <summary>
    /// Runs one native step (a statement, a chunk fetch) as the connection's running execution, translating an
    /// interruption into cancellation or a timeout. A cancel or timeout that came between steps stops the next one.
    /// </summary>
    public T Run<T>(Func<T> step)
    {
        // Running first, then checked: a cancel from here on either is seen below or interrupts the step.
        lock (_connection.ExecutionLock)
        {
            _connection.RunningExecution = this;
        }

        try
        {
            ThrowIfCancelled();
            return step();
        }
        catch (DuckDbException error)
        {
            _connection.CurrentTransaction?.NoteFailure(error);
            if (error.ErrorType == DuckDbErrorType.Interrupt)
            {
                ThrowIfCancelled(error);
            }

            throw;
        }
        finally
        {
            lock (_connection.ExecutionLock)
            {
                _connection.RunningExecution = null;
            }
        }
    }

    /// <summary>Throws what the caller asked for when the token was cancelled or the timeout passed.</summary>
    public void ThrowIfCancelled() => ThrowIfCancelled(interruption: null);

    private void ThrowIfCancelled(DuckDbException? interruption)
    {
        if (_cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The DuckDB query was cancelled and interrupted.", interruption, _cancellationToken);
        }

        // The elapsed time, not only the timer: its callback runs on the thread pool, and may come late when that is busy.
        if (_timeout is not null
            && (_timeout.IsCancellationRequested || TimeProvider.System.GetElapsedTime(_startedAt) >= TimeSpan.FromSeconds(_timeoutSeconds)))
        {
            throw new DuckDbException(
                $"The command ran longer than its timeout of {_timeoutSeconds} s and was interrupted. Raise CommandTimeout, or 0 for none.",
                DuckDbErrorType.Interrupt, interruption?.Sql, interruption);
        }
    }

    public void Dispose()
    {
        _cancellationRegistration.Dispose();
        _timeoutRegistration.Dispose();
        _timeout?.Dispose();
    }
}
