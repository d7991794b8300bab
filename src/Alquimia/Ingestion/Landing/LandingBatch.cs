using System.Globalization;
using Alquimia.Ingestion.Landing.Storage;
using Alquimia.Projects;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// The landing files of one sync of a table, in the making. Parts are written into a hidden folder,
/// <c>&lt;partition&gt;=…/.&lt;batch&gt;.partial/</c>, which the loader never reads; <see cref="Publish"/> then makes them
/// visible together through the source's <see cref="ILandingStore"/>: a batch of one part becomes
/// <c>&lt;batch&gt;.parquet</c>, a larger one the folder <c>&lt;batch&gt;/</c> of its parts. A sync cut short leaves no
/// part visible, and the next sync of the table removes what it left.
/// </summary>
/// <remarks>
/// A connector writes each part at <see cref="NextPartPath"/> with <see cref="ParquetOptions"/> (the source's
/// compression and row group size), then calls <see cref="Added"/> with its rows.
/// </remarks>
internal sealed class LandingBatch : IDisposable
{
    /// <summary>The end of a staging folder's name: <c>.&lt;batch&gt;.partial</c>.</summary>
    public const string PartialSuffix = ".partial";

    private readonly string _table;
    private readonly string _tableFolder;
    private readonly string _partition;
    private readonly string _name;
    private readonly string _partial;
    private readonly LandingSettings _settings;
    private readonly ILandingStore _store;
    private readonly List<(string Path, long Rows)> _parts = [];
    private bool _published;

    /// <summary>A batch with the default layout on the local disk.</summary>
    /// <param name="tableFolder">The table's landing folder.</param>
    /// <param name="now">The sync's time, whose UTC day names its partition folder.</param>
    /// <param name="name">The batch's name, unique to the sync.</param>
    public LandingBatch(string tableFolder, DateTimeOffset now, string name)
        : this(Path.GetFileName(Path.TrimEndingDirectorySeparator(tableFolder)), tableFolder, now, name, new LandingSettings(), new LocalLandingStore())
    {
    }

    /// <param name="table">The table's name, its folder's in the store.</param>
    /// <param name="tableFolder">The table's local landing folder.</param>
    /// <param name="now">The sync's time, whose UTC day names its partition folder.</param>
    /// <param name="name">The batch's name, unique to the sync.</param>
    /// <param name="settings">The source's landing layout.</param>
    /// <param name="store">Where the batch is published; the batch disposes of it.</param>
    public LandingBatch(string table, string tableFolder, DateTimeOffset now, string name, LandingSettings settings, ILandingStore store)
    {
        RemoveAbandoned(tableFolder);
        _table = table;
        _tableFolder = tableFolder;
        _settings = settings;
        _store = store;
        _partition = string.Create(CultureInfo.InvariantCulture, $"{settings.Partition}={now.UtcDateTime:yyyy-MM-dd}");
        _name = name;
        _partial = Path.Combine(tableFolder, _partition, $".{name}{PartialSuffix}");
        Directory.CreateDirectory(_partial);
    }

    /// <summary>The parts written so far that hold rows.</summary>
    public IReadOnlyList<string> PartPaths => [.. _parts.Where(part => part.Rows > 0).Select(part => part.Path)];

    /// <summary>Every part written so far, with the rows its writer counted into it.</summary>
    public IReadOnlyList<(string Path, long Rows)> Parts => _parts;

    /// <summary>Rows in the parts so far.</summary>
    public long Rows => _parts.Sum(part => part.Rows);

    /// <summary>
    /// The options of DuckDB's <c>COPY … TO</c> that write a part as the source's landing says:
    /// <c>FORMAT parquet, COMPRESSION snappy</c>, and its <c>ROW_GROUP_SIZE</c> when it sets one.
    /// </summary>
    public string ParquetOptions => _settings.RowGroupSize is { } rows
        ? string.Create(CultureInfo.InvariantCulture, $"FORMAT parquet, COMPRESSION {_settings.Compression}, ROW_GROUP_SIZE {rows}")
        : $"FORMAT parquet, COMPRESSION {_settings.Compression}";

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
    /// <exception cref="IOException">The store failed (S3 unreachable mid-upload): nothing of the batch is visible.</exception>
    public void Publish(bool keepEmpty, CancellationToken cancellationToken = default)
    {
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
            _published = true;
            Directory.Delete(_partial, recursive: true);
            return;
        }

        _store.Publish(new StagedBatch(_table, _tableFolder, _partial, _name, _partition, [.. parts.Select(part => part.Path)]), cancellationToken);
        _published = true;
    }

    /// <summary>Removes the parts of a batch that was not published.</summary>
    public void Dispose()
    {
        if (!_published && Directory.Exists(_partial))
        {
            Directory.Delete(_partial, recursive: true);
        }

        _store.Dispose();
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
