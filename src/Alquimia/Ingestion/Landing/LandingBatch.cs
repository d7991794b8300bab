using System.Globalization;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// The landing files of one sync of a table, in the making. Parts are written into a hidden folder,
/// <c>ingestion_date=…/.&lt;batch&gt;.partial/</c>, which the loader never reads; <see cref="Publish"/> then makes them
/// visible in one rename: a batch of one part becomes <c>&lt;batch&gt;.parquet</c>, a larger one the folder
/// <c>&lt;batch&gt;/</c> of its parts. A sync cut short leaves no part visible, and the next sync of the table
/// removes what it left.
/// </summary>
internal sealed class LandingBatch : IDisposable
{
    private const string PartialSuffix = ".partial";

    private readonly string _dateFolder;
    private readonly string _name;
    private readonly string _partial;
    private readonly List<(string Path, long Rows)> _parts = [];
    private bool _published;

    /// <param name="tableFolder">The table's landing folder.</param>
    /// <param name="now">The sync's time, which names its <c>ingestion_date</c> folder.</param>
    /// <param name="name">The batch's name, unique to the sync.</param>
    public LandingBatch(string tableFolder, DateTimeOffset now, string name)
    {
        RemoveAbandoned(tableFolder);
        _dateFolder = Path.Combine(tableFolder, string.Create(CultureInfo.InvariantCulture, $"ingestion_date={now.UtcDateTime:yyyy-MM-dd}"));
        _name = name;
        _partial = Path.Combine(_dateFolder, $".{name}{PartialSuffix}");
        Directory.CreateDirectory(_partial);
    }

    /// <summary>The parts written so far that hold rows.</summary>
    public IReadOnlyList<string> PartPaths => [.. _parts.Where(part => part.Rows > 0).Select(part => part.Path)];

    /// <summary>Rows in the parts so far.</summary>
    public long Rows => _parts.Sum(part => part.Rows);

    /// <summary>Where the next part is to be written.</summary>
    public string NextPartPath() =>
        Path.Combine(_partial, string.Create(CultureInfo.InvariantCulture, $"part-{_parts.Count + 1:D5}.parquet"));

    /// <summary>Records the part just written at <see cref="NextPartPath"/>, with its rows.</summary>
    public void Added(long rows) => _parts.Add((NextPartPath(), rows));

    /// <summary>
    /// Makes the batch visible. Parts without rows are left out; a batch without rows is published as one empty file
    /// when <paramref name="keepEmpty"/> (a full refresh: the table was empty at that sync), and not at all otherwise
    /// (an incremental sync with nothing new: an empty file a day would only clutter the lake).
    /// </summary>
    public void Publish(bool keepEmpty)
    {
        _published = true;
        var parts = _parts.Where(part => part.Rows > 0).ToList();
        if (parts.Count == 0 && keepEmpty && _parts.Count > 0)
        {
            parts = [_parts[0]];
        }

        foreach (var empty in _parts.Except(parts))
        {
            File.Delete(empty.Path);
        }

        if (parts.Count == 0)
        {
            Directory.Delete(_partial, recursive: true);
        }
        else if (parts.Count == 1)
        {
            File.Move(parts[0].Path, Path.Combine(_dateFolder, _name + ".parquet"), overwrite: true);
            Directory.Delete(_partial, recursive: true);
        }
        else
        {
            Directory.Move(_partial, Path.Combine(_dateFolder, _name));
        }
    }

    /// <summary>Removes the parts of a batch that was not published.</summary>
    public void Dispose()
    {
        if (!_published && Directory.Exists(_partial))
        {
            Directory.Delete(_partial, recursive: true);
        }
    }

    /// <summary>The hidden folders that syncs cut short (a crash, a kill) left in the table's landing folder.</summary>
    private static void RemoveAbandoned(string tableFolder)
    {
        if (!Directory.Exists(tableFolder))
        {
            return;
        }

        foreach (var abandoned in Directory.EnumerateDirectories(tableFolder, "." + "*" + PartialSuffix, SearchOption.AllDirectories).ToList())
        {
            Directory.Delete(abandoned, recursive: true);
        }
    }
}
