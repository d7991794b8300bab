using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Alquimia.Engine.DuckDb;

/// <summary>
/// Builds and reads a DuckDB connection string: <c>Data Source=warehouse.duckdb;Threads=2;Memory Limit=2GB</c>.
/// Keys other than the ones named here are passed to DuckDB as configuration options unchanged
/// (<c>default_order=desc</c>), and DuckDB rejects the ones it does not know.
/// </summary>
public sealed class DuckDbConnectionStringBuilder : DbConnectionStringBuilder
{
    /// <summary>The <c>Data Source</c> of an in-memory database private to its connection.</summary>
    public const string InMemory = ":memory:";

    private const string DataSourceKey = "Data Source";
    private const string ReadOnlyKey = "Read Only";
    private const string ThreadsKey = "Threads";
    private const string MemoryLimitKey = "Memory Limit";
    private const string TempDirectoryKey = "Temp Directory";

    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Data Source"] = DataSourceKey,
        ["DataSource"] = DataSourceKey,
        ["Read Only"] = ReadOnlyKey,
        ["ReadOnly"] = ReadOnlyKey,
        ["read_only"] = ReadOnlyKey,
        ["Threads"] = ThreadsKey,
        ["Memory Limit"] = MemoryLimitKey,
        ["MemoryLimit"] = MemoryLimitKey,
        ["memory_limit"] = MemoryLimitKey,
        ["Temp Directory"] = TempDirectoryKey,
        ["TempDirectory"] = TempDirectoryKey,
        ["temp_directory"] = TempDirectoryKey,
    };

    public DuckDbConnectionStringBuilder() { }

    public DuckDbConnectionStringBuilder(string? connectionString)
    {
        ConnectionString = connectionString ?? "";
    }

    /// <summary>
    /// The database file, created when missing. <c>:memory:</c> (the default) is an in-memory database private
    /// to the connection; <c>:memory:name</c> is one shared by every connection of this process that names it.
    /// </summary>
    public string DataSource
    {
        get => TryGetValue(DataSourceKey, out var value) && value is string { Length: > 0 } text ? text : InMemory;
        set => this[DataSourceKey] = value;
    }

    /// <summary>Opens the database without write access (DuckDB's <c>access_mode=READ_ONLY</c>). The default is false.</summary>
    public bool ReadOnly
    {
        get => TryGetValue(ReadOnlyKey, out var value) && Convert.ToBoolean(value, CultureInfo.InvariantCulture);
        set => this[ReadOnlyKey] = value;
    }

    /// <summary>DuckDB's worker threads; null lets DuckDB use one per core.</summary>
    public int? Threads
    {
        get => TryGetValue(ThreadsKey, out var value) ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;
        set => SetOrRemove(ThreadsKey, value?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>DuckDB's memory limit, e.g. <c>2GB</c>; null keeps DuckDB's default (80% of the machine's memory).</summary>
    public string? MemoryLimit
    {
        get => TryGetValue(MemoryLimitKey, out var value) ? value as string : null;
        set => SetOrRemove(MemoryLimitKey, value);
    }

    /// <summary>Where DuckDB spills when a query outgrows the memory limit; null keeps DuckDB's default.</summary>
    public string? TempDirectory
    {
        get => TryGetValue(TempDirectoryKey, out var value) ? value as string : null;
        set => SetOrRemove(TempDirectoryKey, value);
    }

    /// <summary>True for both private and named in-memory databases.</summary>
    internal bool IsInMemory => DataSource.StartsWith(InMemory, StringComparison.Ordinal);

    [AllowNull]
    public override object this[string keyword]
    {
        get => base[Normalize(keyword)];
        set => base[Normalize(keyword)] = value;
    }

    public override bool ContainsKey(string keyword) => base.ContainsKey(Normalize(keyword));

    public override bool Remove(string keyword) => base.Remove(Normalize(keyword));

    public override bool TryGetValue(string keyword, out object value) => base.TryGetValue(Normalize(keyword), out value!);

    /// <summary>The options DuckDB is opened with, as its own configuration names and values, sorted by name.</summary>
    internal SortedDictionary<string, string> ToDuckDbConfig()
    {
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in Keys)
        {
            var value = Convert.ToString(this[key], CultureInfo.InvariantCulture) ?? "";
            switch (key)
            {
                case DataSourceKey:
                    break;
                case ReadOnlyKey:
                    if (ReadOnly)
                    {
                        config["access_mode"] = "READ_ONLY";
                    }

                    break;
                case ThreadsKey:
                    config["threads"] = value;
                    break;
                case MemoryLimitKey:
                    config["memory_limit"] = value;
                    break;
                case TempDirectoryKey:
                    config["temp_directory"] = value;
                    break;
                default:
                    config[key] = value;
                    break;
            }
        }

        return config;
    }

    private static string Normalize(string keyword) =>
        Synonyms.TryGetValue(keyword, out var canonical) ? canonical : keyword;

    private void SetOrRemove(string key, string? value)
    {
        if (value is null)
        {
            Remove(key);
        }
        else
        {
            this[key] = value;
        }
    }
}
