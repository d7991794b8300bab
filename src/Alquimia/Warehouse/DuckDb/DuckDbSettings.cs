using System.Data.Common;
using System.Globalization;

namespace Alquimia.Warehouse.DuckDb;

/// <summary>
/// What a DuckDB database is opened with: the file (or <c>:memory:</c>) and DuckDB's own configuration options, as
/// a connection string DuckDB.NET reads (<c>DataSource=/data/warehouse.duckdb;threads=2;memory_limit=2GB</c>).
/// </summary>
public sealed record DuckDbSettings
{
    /// <summary>The data source of an in-memory database private to its connection.</summary>
    public const string InMemory = ":memory:";

    private static readonly string[] DataSourceKeys = ["DataSource", "Data Source"];

    /// <summary>Friendlier spellings of DuckDB's option names, as connection strings often write them.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Memory Limit"] = "memory_limit",
        ["MemoryLimit"] = "memory_limit",
        ["Temp Directory"] = "temp_directory",
        ["TempDirectory"] = "temp_directory",
    };

    /// <summary>The database file, created when missing; <see cref="InMemory"/> (the default) for a private in-memory one.</summary>
    public string DataSource { get; init; } = InMemory;

    /// <summary>DuckDB's worker threads; null lets DuckDB use one per core.</summary>
    public int? Threads { get; init; }

    /// <summary>DuckDB's memory limit, e.g. <c>2GB</c>; null keeps DuckDB's default (80% of the machine's memory).</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>Opens the database without write access (DuckDB's <c>access_mode=READ_ONLY</c>). The default is false.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Further DuckDB configuration options by DuckDB's own names (<c>storage_compatibility_version</c>, <c>temp_directory</c>).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public bool IsPrivateInMemory => DataSource == InMemory;

    /// <summary>The connection string: the data source first, then each option by DuckDB's name, sorted, so that equal settings read the same.</summary>
    public string ConnectionString
    {
        get
        {
            var builder = new DbConnectionStringBuilder { ["DataSource"] = DataSource };
            foreach (var (name, value) in ConfigurationOptions())
            {
                builder[name] = value;
            }

            return builder.ConnectionString;
        }
    }

    /// <summary>The DuckDB options these settings set, sorted by name.</summary>
    public SortedDictionary<string, string> ConfigurationOptions()
    {
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Options)
        {
            options[name.ToLowerInvariant()] = value;
        }

        if (Threads is { } threads)
        {
            options["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        }

        if (MemoryLimit is { } memoryLimit)
        {
            options["memory_limit"] = memoryLimit;
        }

        if (ReadOnly)
        {
            options["access_mode"] = "READ_ONLY";
        }

        return options;
    }

    /// <summary>Reads a connection string in DuckDB.NET's form: the data source and DuckDB's options by their own names.</summary>
    public static DuckDbSettings Parse(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var dataSource = InMemory;
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string key in builder.Keys)
        {
            var value = System.Convert.ToString(builder[key], CultureInfo.InvariantCulture) ?? "";
            if (DataSourceKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                dataSource = value.Length == 0 ? InMemory : value;
            }
            else if (key.Replace(" ", "", StringComparison.Ordinal).Equals("ReadOnly", StringComparison.OrdinalIgnoreCase) || key.Equals("read_only", StringComparison.OrdinalIgnoreCase))
            {
                if (bool.Parse(value))
                {
                    options["access_mode"] = "READ_ONLY";
                }
            }
            else
            {
                options[Synonyms.GetValueOrDefault(key, key)] = value;
            }
        }

        return new DuckDbSettings { DataSource = dataSource, Options = options };
    }
}
