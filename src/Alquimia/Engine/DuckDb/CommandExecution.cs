using static Alquimia.Engine.DuckDb.Native.NativeMethods;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// One execution of a command, from the first statement to the reader's close: it interrupts the running query
/// when the caller's token is cancelled or the command's timeout passes, and turns DuckDB's "Interrupted" error
/// into what the caller asked for: <see cref="OperationCanceledException"/> or a timeout message.
/// </summary>
internal sealed class CommandExecution : IDisposable
{
    private readonly DuckDbConnection _connection;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenRegistration _cancellationRegistration;
    private readonly CancellationTokenRegistration _timeoutRegistration;
    private readonly int _timeoutSeconds;
    private readonly Lock _interruptLock = new();
    private bool _finished;

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

    /// <summary>Asks DuckDB to stop the connection's running query; it fails with an Interrupt error soon after.</summary>
    public void Interrupt()
    {
        // Never interrupt after the execution ended: the flag would hit the connection's next, unrelated query.
        lock (_interruptLock)
        {
            // A closed connection has nothing running; and this may run inside a token's Cancel(), which must not throw.
            if (!_finished && _connection.State == System.Data.ConnectionState.Open)
            {
                Startup.Interrupt(_connection.Handle);
            }
        }
    }

    /// <summary>Runs one native step, translating an interruption into cancellation or a timeout.</summary>
    public T Run<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (DuckDbException error) when (error.ErrorType == DuckDbErrorType.Interrupt)
        {
            ThrowIfCancelled(error);
            throw;
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

        if (_timeout?.IsCancellationRequested == true)
        {
            throw new DuckDbException(
                $"The command ran longer than its timeout of {_timeoutSeconds} s and was interrupted. Raise CommandTimeout, or 0 for none.",
                DuckDbErrorType.Interrupt, interruption?.Sql, interruption);
        }
    }

    public void Dispose()
    {
        lock (_interruptLock)
        {
            _finished = true;
        }

        _cancellationRegistration.Dispose();
        _timeoutRegistration.Dispose();
        _timeout?.Dispose();
    }
}
