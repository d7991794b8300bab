using System.IO.Hashing;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Alquimia.Ingestion.Landing;

/// <summary>What a landing file not yet taken is to its table.</summary>
internal enum LandingFileKind
{
    /// <summary>A file never seen: its rows load.</summary>
    New,

    /// <summary>A file at a path loaded before, with other content: a corrected delivery, whose rows replace the old version's.</summary>
    NewVersion,

    /// <summary>Content already loaded (the file touched, put back or copied): nothing loads again.</summary>
    SameContent,

    /// <summary>A file of zero bytes: nothing to read, not even a header.</summary>
    Empty,

    /// <summary>
    /// A changed file at a path loaded before Alquimia kept content hashes: which rows are its old version cannot be
    /// told, so it is not loaded again (a replay reloads the table from its files).
    /// </summary>
    ChangedSinceUnhashedLoad,
}

/// <summary>A landing file a sync takes: its path inside the lake, its content's hash (for a files source) and its kind.</summary>
/// <param name="SameContentAs">For <see cref="LandingFileKind.SameContent"/>: the file loaded before with that content.</param>
internal sealed record LandingFile(FileInfo Info, string LakePath, string? ContentHash, LandingFileKind Kind, string? SameContentAs = null)
{
    public string FullName => Info.FullName;
}

/// <summary>
/// Finds a table's landing files and tells which are new. A file another tool lands is known by its content: a file
/// touched or put back is not loaded again, and a corrected file at a known path is a new version of that file. The
/// files a database connector lands are its own, each written once under a new name: their path is enough.
/// </summary>
internal static class LandingFiles
{
    /// <summary>The folder a source table's files land in by default.</summary>
    public static string DefaultFolder(Project project, SourceDefinition source, SourceTable table) =>
        Path.Combine(SourceFolder(project, source), table.Name);

    /// <summary>
    /// The local folder of a source's table folders: its <c>landing.root</c> when that is a local folder, else
    /// <c>&lt;lake&gt;/landing/&lt;source&gt;</c>, which for an <c>s3://</c> root holds the local copy of what is in the bucket
    /// (bronze reads it there; <see cref="Storage.ILandingStore.Fetch"/> fills it).
    /// </summary>
    public static string SourceFolder(Project project, SourceDefinition source) =>
        source.Landing.Root is { } root && !source.Landing.IsS3 ? root : Path.Combine(project.LakePath, "landing", source.Name);

    /// <summary>
    /// The folder the table's files are found under: the default one, or the part of its <c>path</c> glob before the
    /// first wildcard. Unreadable files are set aside in its <c>_rejected</c> folder.
    /// </summary>
    public static string Root(Project project, SourceDefinition source, SourceTable table)
    {
        if (table.Files.Path is not { } glob)
        {
            return DefaultFolder(project, source, table);
        }

        var segments = glob.Replace('\\', '/').Split('/');
        var fixedPart = segments.TakeWhile(segment => segment.IndexOfAny(['*', '?', '[', '{']) < 0).ToList();
        if (fixedPart.Count == segments.Length)
        {
            fixedPart.RemoveAt(fixedPart.Count - 1); // a path with no wildcard names one file
        }

        return Path.GetFullPath(string.Join('/', fixedPart), project.LakePath);
    }

    /// <summary>Where the table's files are looked for, as a user would write it: for messages.</summary>
    public static string Describe(Project project, SourceDefinition source, SourceTable table) =>
        table.Files.Path is { } glob ? $"'{glob}' in {project.LakePath}" : DefaultFolder(project, source, table);

    /// <summary>Every landing file of the table, in path order: the order they load in.</summary>
    public static List<FileInfo> Found(Project project, SourceDefinition source, SourceTable table)
    {
        var root = new DirectoryInfo(Root(project, source, table));
        if (!root.Exists)
        {
            return [];
        }

        IEnumerable<FileInfo> files;
        if (table.Files.Path is { } glob)
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(Path.GetRelativePath(root.FullName, Path.GetFullPath(glob, project.LakePath)).Replace('\\', '/'));
            files = matcher.GetResultsInFullPath(root.FullName).Select(path => new FileInfo(path));
        }
        else
        {
            var extensions = Extensions(source.Format);
            files = root.EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(file => extensions.Any(extension => file.Name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)));
        }

        return [.. files
            .Where(file => !RejectedFiles.IsRejected(root.FullName, file.FullName) && !IsHidden(root.FullName, file.FullName))
            .OrderBy(file => file.FullName, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The table's files not yet taken, in path order, each with its kind. A file whose path, size and modification
    /// time are recorded is skipped without being read; any other one is hashed when <paramref name="byContent"/>.
    /// </summary>
    public static List<LandingFile> Pending(
        CheckedConnection connection, Project project, SourceDefinition source, SourceTable table, bool byContent, CancellationToken cancellationToken)
    {
        var recorded = connection.Query(
            $"SELECT path, size, epoch_us(modified_at), content_hash FROM {StateTables.IngestedFiles} WHERE source = $1 AND table_name = $2",
            reader => (Path: reader.GetString(0), Size: reader.GetInt64(1), Modified: reader.GetInt64(2), Hash: reader.IsDBNull(3) ? null : reader.GetString(3)),
            cancellationToken, source.Name, table.Name);
        var unchanged = recorded.Select(file => (file.Path, file.Size, file.Modified)).ToHashSet();
        var pathsLoaded = recorded.Select(file => file.Path).ToHashSet(StringComparer.Ordinal);
        var pathsHashed = recorded.Where(file => file.Hash is not null).Select(file => file.Path).ToHashSet(StringComparer.Ordinal);
        var contentLoaded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in recorded.Where(file => file.Hash is not null))
        {
            contentLoaded.TryAdd(file.Hash!, file.Path);
        }

        var pending = new List<LandingFile>();
        foreach (var file in Found(project, source, table))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lakePath = LakePath(project, file.FullName);
            if (unchanged.Contains((lakePath, file.Length, ModifiedMicros(file))))
            {
                continue;
            }

            if (!byContent)
            {
                pending.Add(new LandingFile(file, lakePath, null, LandingFileKind.New));
                continue;
            }

            if (file.Length == 0)
            {
                pending.Add(new LandingFile(file, lakePath, null, LandingFileKind.Empty));
                continue;
            }

            var hash = ContentHash(file);
            if (contentLoaded.TryGetValue(hash, out var sameAs))
            {
                pending.Add(new LandingFile(file, lakePath, hash, LandingFileKind.SameContent, sameAs));
                continue;
            }

            contentLoaded[hash] = lakePath; // a copy later in this batch is the same content again
            var kind = !pathsLoaded.Contains(lakePath) ? LandingFileKind.New
                : pathsHashed.Contains(lakePath) ? LandingFileKind.NewVersion
                : LandingFileKind.ChangedSinceUnhashedLoad;
            pending.Add(new LandingFile(file, lakePath, hash, kind));
        }

        return pending;
    }

    /// <summary>
    /// The folders beside the source's table folders that no table of the source owns (a misspelled table name): their
    /// files would never load. Only for the default layout, <c>&lt;lake&gt;/landing/&lt;source&gt;/&lt;table&gt;/</c>.
    /// </summary>
    public static List<string> UnclaimedFolders(Project project, SourceDefinition source)
    {
        var folder = new DirectoryInfo(Path.Combine(project.LakePath, "landing", source.Name));
        if (!folder.Exists)
        {
            return [];
        }

        var tables = source.Tables.Where(table => table.Files.Path is null).Select(table => table.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. folder.EnumerateDirectories()
            .Select(directory => directory.Name)
            .Where(name => !name.StartsWith('.') && !name.StartsWith('_') && !tables.Contains(name))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>A file's path inside the lake, with forward slashes (the project folder can move without every file looking new); absolute when outside it.</summary>
    public static string LakePath(Project project, string fullName)
    {
        var relative = Path.GetRelativePath(project.LakePath, fullName);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullName : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The file's modification time in microseconds since 1970, the precision DuckDB stores.</summary>
    public static long ModifiedMicros(FileInfo file) => (file.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>
    /// The 128-bit XXH3 of the file's bytes, with its length: an identity against accidents (a file touched, copied,
    /// put back), not against someone forging a collision. SHA-256 read 220 MB/s on this machine's cores; XXH3 is
    /// bounded by the disk.
    /// </summary>
    private static string ContentHash(FileInfo file)
    {
        using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var hash = new XxHash128();
        hash.Append(stream);
        return $"xxh128:{Convert.ToHexStringLower(hash.GetCurrentHash())}:{file.Length}";
    }

    /// <summary>
    /// True for a file or folder whose name starts with a dot, as Spark and Hadoop skip them too: a sync's parts are
    /// written under <c>.&lt;batch&gt;.partial/</c> until they are published.
    /// </summary>
    private static bool IsHidden(string root, string path) =>
        Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Any(segment => segment.StartsWith('.'));

    /// <summary>The names a format's files end in, compressed ones included (DuckDB decompresses .gz and .zst by their name).</summary>
    private static string[] Extensions(LandingFormat format) => format switch
    {
        LandingFormat.Parquet => [".parquet"],
        LandingFormat.Csv => [".csv", ".csv.gz", ".csv.zst", ".tsv", ".tsv.gz"],
        _ => [".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz"],
    };
}
