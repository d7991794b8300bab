using DuckDB.NET.Native;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Ingestion.Landing;

/// <summary>
/// Sets aside the landing files that cannot be loaded whole: those DuckDB cannot parse at all (a Parquet without its
/// footer, malformed JSON, a CSV with a quote never closed) and CSV files cut short (no line ending after the last
/// line). Each moves to <c>&lt;landing folder&gt;/_rejected/</c> under its own relative path, with
/// <c>&lt;file&gt;.reason.txt</c> next to it, and the rest of the batch loads. A CSV's malformed lines alone are not
/// this: the file loads, and the lines go to <see cref="RejectedRows"/>.
/// </summary>
/// <remarks>
/// Each file is probed on a connection of its own to the warehouse's database, outside the step's transaction, which a
/// failed statement would abort. Not on a database of its own: starting a DuckDB instance took 12-25 ms, once per
/// source table and run (V-Credit's eight: 0.14 s of a 1.6 s daily run at 1M chamados).
/// The move happens before bronze's commit, and a rejected file is one that no retry could load, so a crash either
/// way leaves the lake before or after: a crash before the move leaves the file pending, to be probed again; after
/// it, the file is set aside and the batch's other files are pending or loaded. The reason is written before the
/// file moves, so a rejected file always has one (a crash between leaves a reason beside a file still pending,
/// rewritten when it is probed again).
/// </remarks>
internal static class RejectedFiles
{
    /// <summary>The folder, inside a table's landing folder, that rejected files are moved to.</summary>
    public const string FolderName = "_rejected";

    /// <summary>Moves aside the files that cannot be parsed; returns those that can, and a warning for each moved.</summary>
    public static (List<LandingFile> Readable, List<string> Warnings) SetAside(
        CheckedConnection warehouse, Project project, SourceDefinition source, SourceTable table, IReadOnlyList<LandingFile> files, string runId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var readable = new List<LandingFile>();
        var warnings = new List<string>();
        if (files.Count == 0)
        {
            return (readable, warnings);
        }

        using var probe = OpenProbe(warehouse);
        foreach (var file in files)
        {
            var reason = Truncated(source, table, file.Info) ?? Unparseable(probe, source.Format, table.Files, file.Info, cancellationToken);
            if (reason is null)
            {
                readable.Add(file);
                continue;
            }

            var folder = LandingFiles.Root(project, source, table);
            var target = Path.Combine(folder, FolderName, Path.GetRelativePath(folder, file.FullName));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target + ".reason.txt", $"Rejected by run {runId} at {now:O}: {file.Info.Name} cannot be loaded as {source.Format.ToString().ToUpperInvariant()}.\n{reason}\n");
            File.Move(file.FullName, target, overwrite: true);
            warnings.Add(
                $"{table.Name}: landing file {file.LakePath} cannot be loaded and was moved to "
                + $"{LandingFiles.LakePath(project, target)} ({FirstLine(reason).TrimEnd('.')}). Fix or replace it and put it back in the landing folder to load it.");
        }

        return (readable, warnings);
    }

    /// <summary>The first of the files DuckDB cannot parse, with its reason; null when all can be.</summary>
    public static (LandingFile File, string Reason)? FirstUnreadable(
        CheckedConnection warehouse, SourceDefinition source, SourceTable table, IReadOnlyList<LandingFile> files, CancellationToken cancellationToken)
    {
        using var probe = OpenProbe(warehouse);
        foreach (var file in files.Where(file => file.Kind is LandingFileKind.New or LandingFileKind.NewVersion))
        {
            if ((Truncated(source, table, file.Info) ?? Unparseable(probe, source.Format, table.Files, file.Info, cancellationToken)) is { } reason)
            {
                return (file, reason);
            }
        }

        return null;
    }

    /// <summary>True for a path inside a table's <c>_rejected</c> folder.</summary>
    public static bool IsRejected(string landingFolder, string path) =>
        Path.GetRelativePath(landingFolder, path).Split(Path.DirectorySeparatorChar)[0] == FolderName;

    /// <summary>A second connection to <paramref name="warehouse"/>'s database; a database of its own when the warehouse is a private in-memory one, which cannot have two.</summary>
    private static CheckedConnection OpenProbe(CheckedConnection warehouse)
    {
        var privateInMemory = DuckDbSettings.Parse(warehouse.ConnectionString).IsPrivateInMemory;
        var probe = new CheckedConnection(privateInMemory ? new DuckDbSettings().ConnectionString : warehouse.ConnectionString);
        try
        {
            probe.Open();
            return probe;
        }
        catch
        {
            probe.Dispose();
            throw;
        }
    }

    /// <summary>DuckDB's reason the file cannot be parsed; null when it can. Other errors (I/O, memory) fail the step as they are.</summary>
    private static string? Unparseable(CheckedConnection probe, LandingFormat format, FileReading reading, FileInfo file, CancellationToken cancellationToken)
    {
        try
        {
            using (SqlTrace.OutsideTransaction())
            {
                probe.Execute(LandingRows.Probe(format, reading, file.FullName), cancellationToken);
            }

            return null;
        }
        catch (DuckDbEngineException error) when (error.ErrorType is DuckDBErrorType.InvalidInput or DuckDBErrorType.Conversion or DuckDBErrorType.Serialization)
        {
            return error.DuckDbMessage.Trim();
        }
    }

    /// <summary>
    /// Why an uncompressed CSV file looks cut short: its last line has no line ending, which is what a copy or a writer
    /// interrupted mid-row leaves (a timestamp cut to its date would load as midnight). Null when it ends with one, or
    /// when the source says <c>require_final_newline: false</c>.
    /// </summary>
    private static string? Truncated(SourceDefinition source, SourceTable table, FileInfo file)
    {
        var csv = table.Files.Csv;
        if (source.Format != LandingFormat.Csv || !csv.RequireFinalNewline || file.Length == 0
            || csv.Compression is "gzip" or "zstd" || file.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || file.Name.EndsWith(".zst", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        using var stream = file.OpenRead();
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n'
            ? null
            : "Its last line has no line ending: the file looks cut short (a copy or an export interrupted mid-row), and its last row could load with "
              + "wrong values. If the file is whole, end it with a newline, or set csv: {require_final_newline: false} on the table.";
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
