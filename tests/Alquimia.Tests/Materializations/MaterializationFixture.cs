using Alquimia.Warehouse.DuckDb;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Materializations;

/// <summary>
/// A private in-memory warehouse with the layer schemas (or a database file, given its path), where a test builds models
/// the way the runner does: one transaction per build, with the watermark carried from build to build.
/// </summary>
internal sealed class MaterializationFixture : IDisposable
{
    private readonly ObservedDuckDb _database;
    private readonly Dictionary<QualifiedName, StoredWatermark?> _watermarks = [];
    private int _builds;

    public MaterializationFixture(string? file = null)
    {
        _database = new ObservedDuckDb("materializations", file);
        Execute("CREATE SCHEMA bronze; CREATE SCHEMA silver; CREATE SCHEMA gold; CREATE SCHEMA curated");
        StateTables.EnsureCreated(Connection);
    }

    public CheckedConnection Connection => _database.Connection;

    /// <summary>A second connection: it sees only what was committed.</summary>
    public CheckedConnection Observer => _database.Observer;

    /// <summary>The start of the next build's run; a build whose start was not moved past the last one's starts a microsecond after it, as a run does.</summary>
    public DateTimeOffset RunStartedAt { get; set; } = new(2026, 1, 15, 2, 0, 0, TimeSpan.Zero);

    /// <summary>run_date() of the next build.</summary>
    public DateOnly RunDate { get; set; } = new(2026, 1, 15);

    private DateTimeOffset? _lastStart;

    public static ModelDefinition Model(string name, string sql, ModelConfig config) =>
        new(QualifiedName.TryParse(name)!, $"/project/models/{name.Replace('.', '/')}.sql", sql, 1, config, []);

    /// <summary>The run id the next build is recorded under: run-1, run-2, …</summary>
    public string NextRunId => $"run-{_builds + 1}";

    public StoredWatermark? Watermark(QualifiedName model) => _watermarks.GetValueOrDefault(model);

    /// <summary>Builds the model in one transaction and commits; returns what changed.</summary>
    public MaterializationResult Build(ModelDefinition model, bool fullRefresh = false, QualityThreshold? threshold = null)
    {
        var runId = NextRunId;
        _builds++;
        var startedAt = _lastStart is { } last && RunStartedAt <= last ? last.AddTicks(TimeSpan.TicksPerMicrosecond) : RunStartedAt;
        _lastStart = startedAt;
        using var transaction = Connection.BeginTransaction();
        var build = new ModelBuild(Connection, model, CancellationToken.None)
        {
            FullRefresh = fullRefresh,
            RunStartedAt = startedAt,
            RunDate = RunDate,
            StoredWatermark = _watermarks.GetValueOrDefault(model.Name),
            RunId = runId,
            QualityThreshold = threshold ?? model.Config.ThresholdWithin(null),
        };
        ModelFunctions.Define(Connection, build);
        var result = Materialization.For(model.Config.Materialized).Build(build);
        transaction.Commit();
        if (result.Watermark is not null)
        {
            _watermarks[model.Name] = result.Watermark;
        }

        return result;
    }

    public void Execute(string sql) => Connection.Execute(sql);

    public List<string> Rows(string sql) => Orchestration.WarehouseRows.Of(Connection, sql);

    public void Dispose() => _database.Dispose();
}
