namespace Alquimia.Warehouse;

/// <summary>What a writer does when another holds the warehouse.</summary>
public enum WhenBusy
{
    /// <summary>Wait for its turn, in the order the writers asked. The default.</summary>
    Wait,

    /// <summary>Give up at once with <see cref="WarehouseBusyException"/> naming the holder.</summary>
    Refuse,
}

/// <summary>
/// The one-writer-at-a-time rule of a warehouse as a queue: a run asks for the warehouse, waits its turn (or is
/// refused when asked to be), and gives it back by disposing what it was handed.
/// </summary>
internal sealed class WriterQueue(string path) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private string? _holder;

    /// <summary>Who writes now, if anyone.</summary>
    public string? Holder => Volatile.Read(ref _holder);

    public async Task<IDisposable> EnterAsync(string holder, WhenBusy whenBusy, CancellationToken cancellationToken)
    {
        if (whenBusy == WhenBusy.Refuse)
        {
            if (!await _turn.WaitAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
            {
                throw new WarehouseBusyException(
                    $"The warehouse '{path}' is in use by {Holder ?? "another run"} in this process. Only one run at a time may write a warehouse; wait for it to finish.");
            }
        }
        else
        {
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _holder, holder);
        return new Turn(this);
    }

    public void Dispose() => _turn.Dispose();

    private void Leave()
    {
        Volatile.Write(ref _holder, null);
        _turn.Release();
    }

    private sealed class Turn(WriterQueue queue) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                queue.Leave();
            }
        }
    }
}
