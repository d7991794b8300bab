using System.Collections.Concurrent;

namespace Alquimia.Server;

/// <summary>One cached answer of the read API: its bytes as sent, with their ETag.</summary>
public sealed record CachedRead(string ETag, string ContentType, byte[] Body, string? NextCursor, long? Total);

/// <summary>
/// The read API's answers in memory, by (caller's scope, relation, query), bounded in bytes (the least recently used go
/// first). A run's commit into a relation drops that relation's answers at once (<see cref="Invalidate"/>, on the
/// warehouse's commit event), and an answer read while a commit happened is not kept: each relation has a generation,
/// taken before the read and checked when the answer is put. So an answer is never served stale after a commit.
/// </summary>
public sealed class ReadCache(long maxBytes = ReadCache.DefaultMaxBytes)
{
    /// <summary>64 MB: seed 004's three tables answer in pages of a few kilobytes.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Relation, LinkedListNode<string> Use, CachedRead Read)> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _uses = new();
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>The relation's generation: take it before reading, give it to <see cref="Put"/>.</summary>
    public long Generation(string relation) => _generations.GetValueOrDefault(relation);

    public bool TryGet(string key, out CachedRead read)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                _uses.Remove(entry.Use);
                _uses.AddFirst(entry.Use);
                read = entry.Read;
                return true;
            }
        }

        read = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="read"/> unless the relation was committed since <paramref name="generation"/> was taken.</summary>
    public void Put(string relation, long generation, string key, CachedRead read)
    {
        if (read.Body.Length > maxBytes / 4)
        {
            return;
        }

        lock (_lock)
        {
            if (Generation(relation) != generation || _entries.ContainsKey(key))
            {
                return;
            }

            _entries[key] = (relation, _uses.AddFirst(key), read);
            _bytes += read.Body.Length;
            while (_bytes > maxBytes && _uses.Last is { } oldest)
            {
                Remove(oldest.Value);
            }
        }
    }

    /// <summary>A run committed <paramref name="relation"/>: its answers go, and reads under way are not kept.</summary>
    public void Invalidate(string relation)
    {
        lock (_lock)
        {
            _generations.AddOrUpdate(relation, 1, (_, generation) => generation + 1);
            foreach (var key in _entries.Where(entry => entry.Value.Relation == relation).Select(entry => entry.Key).ToList())
            {
                Remove(key);
            }
        }
    }

    private void Remove(string key)
    {
        var entry = _entries[key];
        _entries.Remove(key);
        _uses.Remove(entry.Use);
        _bytes -= entry.Read.Body.Length;
    }
}
