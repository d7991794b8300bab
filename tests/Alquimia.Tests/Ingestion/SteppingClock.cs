namespace Alquimia.Tests.Ingestion;

/// <summary>A clock that moves forward by <paramref name="step"/> each time it is read: every measured span is a whole number of steps, whatever the machine's speed.</summary>
internal sealed class SteppingClock(TimeSpan step, DateTimeOffset? start = null) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start ?? new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            _now += step;
            return _now;
        }
    }
}
