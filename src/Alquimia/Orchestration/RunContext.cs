using Alquimia.Warehouse.DuckDb;
using Alquimia.Ingestion.Postgres;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;

namespace Alquimia.Orchestration;

/// <summary>What every step of one run shares: the run's record, the warehouse, the clock, the observer, the sources' snapshots.</summary>
internal sealed class RunContext(
    Project project, EmbeddedWarehouse warehouse, RunRecord run, RunOptions options, IRunObserver observer, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, PostgresSnapshot> _snapshots = new(StringComparer.Ordinal);

    public Project Project { get; } = project;

    public RunRecord Run { get; } = run;

    public ProjectSettings Settings => Project.Settings;

    public bool FullRefresh => options.FullRefresh;

    public bool Replay => options.Replay;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public EmbeddedWarehouse Warehouse { get; } = warehouse;

    public FaultInjection Faults => options.Faults;

    public IRunObserver Observer { get; } = observer;

    /// <summary>The run's snapshot of a PostgreSQL source, taken when its first table is extracted and held until the run ends.</summary>
    public PostgresSnapshot PostgresSnapshot(SourceDefinition source, CancellationToken cancellationToken)
    {
        lock (_snapshots)
        {
            if (!_snapshots.TryGetValue(source.Name, out var snapshot))
            {
                snapshot = Ingestion.Postgres.PostgresSnapshot.Take(source, cancellationToken);
                _snapshots[source.Name] = snapshot;
            }

            return snapshot;
        }
    }

    public void Dispose()
    {
        lock (_snapshots)
        {
            foreach (var snapshot in _snapshots.Values)
            {
                snapshot.Dispose();
            }

            _snapshots.Clear();
        }
    }

    /// <summary>A new connection to the warehouse, sharing the database instance the run opened with the project's settings.</summary>
    public CheckedConnection OpenConnection() => Warehouse.OpenConnection();

    /// <summary>Records a step that kept no data (failed, skipped, cancelled) in a transaction of its own.</summary>
    public void RecordOutcome(ModelRunRecord record)
    {
        using var connection = OpenConnection();
        RunLedger.RecordModelRun(connection, record);
    }

    /// <summary>Records what the checks found in a build they stopped: its rollback took away the rows written with it.</summary>
    public void RecordStoppedChecks(QualityException stopped)
    {
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction();
        if (stopped.Expectations is { } expectations)
        {
            QualityResults.Record(connection, stopped.Model, Run.RunId, Run.StartedAt, expectations);
        }

        QualityResults.Record(connection, stopped.Model, Run.RunId, Run.StartedAt, stopped.Tests);
        transaction.Commit();
    }
}
