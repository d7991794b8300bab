using System.Globalization;

namespace Alquimia.Ingestion.Cdc;

/// <summary>
/// Which transactions a PostgreSQL snapshot sees (<c>pg_current_snapshot()</c>: <c>xmin:xmax:xip,…</c>). A table's
/// initial snapshot is taken while the slot streams: a change streamed afterwards belongs to the table's feed exactly
/// when its transaction is one the snapshot does not see, so no change is in both and none in neither.
/// </summary>
internal sealed class SnapshotVisibility
{
    private readonly ulong _xmin;
    private readonly ulong _xmax;
    private readonly HashSet<ulong> _inProgress;

    private SnapshotVisibility(ulong xmin, ulong xmax, HashSet<ulong> inProgress)
    {
        (_xmin, _xmax, _inProgress) = (xmin, xmax, inProgress);
    }

    /// <summary>The snapshot <c>pg_current_snapshot()::text</c> wrote.</summary>
    public static SnapshotVisibility Parse(string text)
    {
        var parts = text.Split(':');
        var inProgress = parts[2].Length == 0 ? [] : parts[2].Split(',').Select(xid => ulong.Parse(xid, CultureInfo.InvariantCulture)).ToHashSet();
        return new SnapshotVisibility(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture), inProgress);
    }

    /// <summary>
    /// True when the snapshot sees the committed transaction <paramref name="xid"/> (pgoutput's 32-bit id), which it
    /// places next to the snapshot's own ids: a transaction still being streamed is never 2^31 ids old.
    /// </summary>
    public bool Sees(uint xid)
    {
        var distance = unchecked((int)(xid - (uint)_xmax));
        if (distance >= 0)
        {
            return false;
        }

        var full = _xmax - (ulong)(-(long)distance);
        return full < _xmin || !_inProgress.Contains(full);
    }
}
