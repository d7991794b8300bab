using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// The database files this process has open, by full path, with the settings each was opened with. DuckDB.NET keys
/// its instances by the text of the data source, so <c>dir/./x.duckdb</c> would open a second instance of the same file
/// beside the first (each unaware of the other's writes), and a connection asking for other settings would silently
/// get the first one's: every path is made canonical here, and a conflicting setting is refused.
/// </summary>
internal static partial class OpenDatabases
{
    private static readonly Dictionary<string, OpenDatabase> ByPath = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>
    /// Opens a connection to the database <paramref name="settings"/> name: <paramref name="open"/> is DuckDB.NET's own
    /// open, given the canonical connection string and whether the connection is the database's first in this process.
    /// </summary>
    public static void Open(DuckDbSettings settings, Action<string, bool> open)
    {
        if (settings.IsPrivateInMemory)
        {
            Guard(settings.DataSource, () => open(settings.ConnectionString, true));
            return;
        }

        if (settings.DataSource.StartsWith(DuckDbSettings.InMemory, StringComparison.Ordinal))
        {
            // DuckDB.NET would create a file of that name.
            throw new ArgumentException(
                $"'{settings.DataSource}' is not a database DuckDB opens in memory: use '{DuckDbSettings.InMemory}' for a private in-memory database, or a file to share one between connections.");
        }

        var path = Path.GetFullPath(settings.DataSource);
        if (Path.GetDirectoryName(path) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            throw new DuckDbEngineException(
                $"Cannot open the database '{path}': the folder '{folder}' does not exist. Create it, or point the data source elsewhere.",
                DuckDBErrorType.Io);
        }

        var canonical = settings with { DataSource = path };
        var wanted = canonical.ConnectionString;
        lock (Gate)
        {
            // DuckDB.NET matches data sources ignoring case: on a case-sensitive file system, A.duckdb would join a.duckdb's instance.
            if (ByPath.Keys.FirstOrDefault(open => open != path && string.Equals(open, path, StringComparison.OrdinalIgnoreCase)) is { } twin)
            {
                throw new InvalidOperationException(
                    $"'{path}' differs only in case from '{twin}', which is open in this process, and DuckDB.NET would open it as the same database. Rename one of the files.");
            }

            if (ByPath.TryGetValue(path, out var database))
            {
                if (database.ConnectionString != wanted)
                {
                    throw new InvalidOperationException(
                        $"'{path}' is already open in this process as [{database.ConnectionString}], so a connection asking for [{wanted}] cannot share it. Open every connection to one database with the same settings.");
                }

                Guard(path, () => open(wanted, false));
                database.Connections++;
                return;
            }

            // Under the lock: no second connection may join before the first has set the database up (CheckedConnection.Open).
            Guard(path, () => open(wanted, true));
            ByPath.Add(path, new OpenDatabase(wanted) { Connections = 1 });
        }
    }

    /// <summary>Gives back one connection's share of the database at <paramref name="dataSource"/>.</summary>
    public static void Closed(string dataSource)
    {
        if (dataSource.StartsWith(DuckDbSettings.InMemory, StringComparison.Ordinal))
        {
            return;
        }

        lock (Gate)
        {
            if (ByPath.TryGetValue(dataSource, out var database) && --database.Connections == 0)
            {
                ByPath.Remove(dataSource);
            }
        }
    }

    private static void Guard(string path, Action open)
    {
        try
        {
            open();
        }
        catch (DuckDBException error)
        {
            throw OpenFailed(path, error);
        }
        catch (InvalidOperationException error) when (error.Message.StartsWith("Unrecognized connection string property", StringComparison.Ordinal))
        {
            // DuckDB.NET checks the options against DuckDB's list before it opens anything.
            throw new DuckDbEngineException(
                $"Cannot open the database '{path}': {error.Message}. DuckDB does not know that option: check its name against DuckDB's configuration options.",
                DuckDbErrors.InvalidConfiguration, innerException: error);
        }
    }

    private static DuckDbEngineException OpenFailed(string path, DuckDBException error)
    {
        var said = error.Message.Replace("DuckDBOpen failed: ", "", StringComparison.Ordinal);
        if (!said.Contains("Could not set lock on file", StringComparison.Ordinal))
        {
            return new DuckDbEngineException($"Cannot open the database '{path}': {said}", DuckDbErrors.KindOf(error), innerException: error);
        }

        var match = LockHolder().Match(said);
        var holder = match.Success ? match.Groups["holder"].Value : "another process";
        int? processId = match.Success && int.TryParse(match.Groups["pid"].Value, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        return new DatabaseHeldException(path, holder, processId, said);
    }

    [GeneratedRegex(@"Conflicting lock is held in (?<holder>.+?\(PID (?<pid>\d+)\))")]
    private static partial Regex LockHolder();

    private sealed class OpenDatabase(string connectionString)
    {
        public string ConnectionString { get; } = connectionString;

        public int Connections { get; set; }
    }
}
