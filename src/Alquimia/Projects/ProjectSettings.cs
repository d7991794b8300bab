using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Projects;

/// <summary>The project-wide settings of <c>alquimia.yml</c>, with their defaults.</summary>
public sealed record ProjectSettings
{
    /// <summary>The materialization of a model that names none. The default is <c>table</c>.</summary>
    public MaterializationKind DefaultMaterialization { get; init; } = MaterializationKind.Table;

    /// <summary>How many models run at once. The default is the number of cores.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How long one attempt of a model may run before its query is interrupted. The default is one hour.</summary>
    public TimeSpan ModelTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many times a failed model is retried. The default is zero.</summary>
    public int Retries { get; init; }

    /// <summary>The wait before the first retry; each further retry waits twice as long. The default is five seconds.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>DuckDB's <c>memory_limit</c> (e.g. <c>2GB</c>); null leaves DuckDB's default (80% of RAM).</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>DuckDB's worker threads; null leaves DuckDB's default (one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// The DuckDB storage format a new warehouse file is written in (<see cref="WarehouseStorage"/>); a file that
    /// exists keeps its own.
    /// </summary>
    public string StorageVersion { get; init; } = WarehouseStorage.DefaultVersion;

    /// <summary>The threshold on invalid rows of every model with expectations that sets none; null means none.</summary>
    public QualityThreshold? QualityThreshold { get; init; }

    /// <summary>
    /// The project's time zone (<c>timezone:</c>, an IANA name such as America/Sao_Paulo): the day a run's default run
    /// date is taken in. The default is UTC, never the machine's own zone, so a run on a laptop and on a server agree.
    /// </summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Where runs send their OpenLineage events (<c>lineage:</c>); null sends none.</summary>
    public Lineage.LineageSettings? Lineage { get; init; }

    /// <summary>Today in the project's time zone: the run date of a run that names none.</summary>
    public DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZone).DateTime);
}
