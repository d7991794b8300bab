using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Projects.Loading;

/// <summary>Reads <c>alquimia.yml</c>: the project's name, paths and settings (docs/projects.md lists the keys).</summary>
internal static class ProjectFileReader
{
    public const string FileName = "alquimia.yml";

    private static readonly string[] Keys =
        ["name", "warehouse", "lake", "sources", "defaults", "max_parallelism", "timeout", "retries", "retry_backoff", "duckdb", "quality", "timezone", "jobs", "alerts", "lineage", "serve", "dashboard", "landing"];

    /// <summary>What alquimia.yml says, with defaults for what it omits.</summary>
    /// <param name="SourcesPath">The folder of the source files, absolute; <c>sources</c> unless alquimia.yml names another.</param>
    public sealed record Result(string Name, string WarehousePath, string LakePath, string SourcesPath, ProjectSettings Settings)
    {
        /// <summary>The jobs its server runs on their schedules.</summary>
        public IReadOnlyList<JobDefinition> Jobs { get; init; } = [];

        /// <summary>Its server's alert channels and rules.</summary>
        public AlertSettings Alerts { get; init; } = AlertSettings.None;

        /// <summary>Its server's API keys, rate limit and CORS origins.</summary>
        public ServeSettings Serve { get; init; } = ServeSettings.None;
        /// <summary>The charts and listings of its server's dashboard.</summary>
        public DashboardDefinition Dashboard { get; init; } = DashboardDefinition.None;

        /// <summary>The landing layout of its database sources, unless theirs says otherwise; its root holds a folder per source.</summary>
        public LandingSettings Landing { get; init; } = new();
    }

    /// <summary>
    /// Reads the file; when it is missing or broken the problems are recorded and a stand-in with every default is
    /// returned, so the rest of the project is still checked.
    /// </summary>
    public static Result Read(string directory, LoadProblems problems)
    {
        var path = Path.Combine(directory, FileName);
        var fallback = new Result(
            Path.GetFileName(directory), Path.Combine(directory, "warehouse.duckdb"), Path.Combine(directory, "lake"), Path.Combine(directory, "sources"), new ProjectSettings());
        if (!File.Exists(path))
        {
            problems.Add(FileName, 0, $"There is no {FileName} in {directory}, so this folder is not an Alquimia project. `alquimia init` creates one.");
            return fallback;
        }

        var yaml = YamlFile.Parse(File.ReadAllText(path), path, 1, FileName, problems);
        if (yaml is null)
        {
            return fallback;
        }

        yaml.CheckKeys(Keys);
        var name = yaml.String("name", "the project's name, e.g. name: vcredit.") ?? fallback.Name;
        var warehouse = yaml.String("warehouse") ?? "warehouse.duckdb";
        var lake = yaml.String("lake") ?? "lake";
        // Another folder of sources switches a project's inputs in one line (examples/vcredit: sources_postgres).
        var sources = yaml.String("sources");
        if (sources is not null && !Directory.Exists(Path.GetFullPath(sources, directory)))
        {
            yaml.Problem(yaml.LineOfKey("sources"), $"'sources: {sources}' names a folder that does not exist in {directory}. Create it, or remove the key to read sources/.");
        }

        sources ??= "sources";

        var settings = new ProjectSettings();
        if (yaml.Mapping("defaults", $"'defaults' of {FileName}") is { } defaults)
        {
            defaults.CheckKeys(["materialized"]);
            if (defaults.Choice("materialized", MaterializationNames.ByName) is { } materialized)
            {
                settings = settings with { DefaultMaterialization = materialized };
            }
        }

        settings = settings with
        {
            MaxParallelism = yaml.Int("max_parallelism", minimum: 1) ?? settings.MaxParallelism,
            ModelTimeout = yaml.Duration("timeout") ?? settings.ModelTimeout,
            Retries = yaml.Int("retries", minimum: 0) ?? settings.Retries,
            RetryBackoff = yaml.Duration("retry_backoff") ?? settings.RetryBackoff,
            TimeZone = TimeZone(yaml, FileName) ?? settings.TimeZone,
            Lineage = LineageReader.Read(yaml, directory),
        };

        if (yaml.Mapping("duckdb", $"'duckdb' of {FileName}") is { } duckdb)
        {
            duckdb.CheckKeys(["memory_limit", "threads", "storage_version"]);
            settings = settings with
            {
                MemoryLimit = duckdb.String("memory_limit"),
                Threads = duckdb.Int("threads", minimum: 1),
                StorageVersion = StorageVersion(duckdb) ?? settings.StorageVersion,
            };
        }

        if (yaml.Mapping("quality", $"'quality' of {FileName}") is { } quality)
        {
            quality.CheckKeys(QualityThresholdReader.Keys);
            settings = settings with { QualityThreshold = QualityThresholdReader.Read(quality) };
        }

        return new Result(name, Path.GetFullPath(warehouse, directory), Path.GetFullPath(lake, directory), Path.GetFullPath(sources, directory), settings)
        {
            Jobs = JobsReader.Read(yaml, settings.TimeZone),
            Alerts = AlertsReader.Read(yaml),
            Serve = ServeReader.Read(yaml),
            Dashboard = DashboardReader.Read(yaml),
            Landing = LandingSettingsReader.Read(yaml, new LandingSettings(), directory),
        };
    }

    /// <summary>The IANA time zone of <paramref name="yaml"/>'s <c>timezone</c> key, whose problems name <paramref name="owner"/>.</summary>
    internal static TimeZoneInfo? TimeZone(YamlSection yaml, string owner)
    {
        var name = yaml.String("timezone");
        if (name is null)
        {
            return null;
        }

        // .NET also accepts Windows names and, on Linux, any file under /usr/share/zoneinfo: only IANA names travel.
        if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) && zone.HasIanaId)
        {
            return zone;
        }

        yaml.Problem(
            yaml.LineOfKey("timezone"),
            $"'timezone: {name}' in {owner} is not an IANA time zone name. Write one such as UTC, America/Sao_Paulo or Europe/Lisbon.");
        return null;
    }

    private static string? StorageVersion(YamlSection duckdb)
    {
        var version = duckdb.String("storage_version");
        if (version is null || WarehouseStorage.Versions.Contains(version))
        {
            return version;
        }

        duckdb.Problem(
            duckdb.LineOfKey("storage_version"),
            $"'storage_version' in {duckdb.Description} is '{version}', which is not one of: {string.Join(", ", WarehouseStorage.Versions)}."
            + $"{Suggestions.DidYouMean(version, WarehouseStorage.Versions)} A file in v1.0.0 opens in DuckDB 1.0 and later; {WarehouseStorage.DefaultVersion}, the default, only in DuckDB 1.5 and later.");
        return null;
    }
}
