using Alquimia.Warehouse.DuckDb;
using Alquimia.Ingestion;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;

namespace Alquimia.Orchestration;

/// <summary>What every step of one run shares: the run's record, the warehouse, the clock, the observer, the sources' sessions.</summary>
internal sealed class RunContext(
    Project project, EmbeddedWarehouse warehouse, RunRecord run, RunOptions options, IRunObserver observer, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, ISyncSession> _sessions = new(StringComparer.Ordinal);

    public Project Project { get; } = project;

    public RunRecord Run { get; } = run;

    public ProjectSettings Settings => Project.Settings;

    /// <summary>True when this run rebuilds <paramref name="model"/> from its query alone (see <see cref="RunOptions.DropHistory"/>).</summary>
    public bool RebuildsFromScratch(ModelDefinition model) =>
        options.DropHistory.Contains(model.Name) || (options.FullRefresh && !model.Config.KeepsHistory);

    public bool Replay => options.Replay;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    /// <summary>The connectors the sources' types name.</summary>
    public SourceConnectors Connectors { get; } = SourceConnectors.Default;

    public EmbeddedWarehouse Warehouse { get; } = warehouse;

    public FaultInjection Faults => options.Faults;

    public IRunObserver Observer { get; } = observer;

    /// <summary>
    /// The run's session with a source (PostgreSQL: one snapshot for every table), opened when its first table is
    /// extracted and held until the run ends. A session that fails to open is not kept: the next table tries again.
    /// </summary>
    public ISyncSession Session(SourceDefinition source, ISourceConnector connector, CancellationToken cancellationToken)
    {
        lock (_sessions)
        {
            if (!_sessions.TryGetValue(source.Name, out var session))
            {
                session = connector.OpenSession(source, cancellationToken);
                _sessions[source.Name] = session;
            }

            return session;
        }
    }

    public void Dispose()
    {
        lock (_sessions)
        {
            foreach (var session in _sessions.Values)
            {
                session.Dispose();
            }

            _sessions.Clear();
        }
    }

    /// <summary>A new connection to the warehouse, sharing the database instance the run opened with the project's settings.</summary>
    public CheckedConnection OpenConnection() => Warehouse.OpenConnection();

    /// <summary>Records a step that kept no data (failed, skipped, cancelled) in a transaction of its own.</summary>
    public void RecordOutcome(ModelRunRecord record)
    {
        Faults.BeforeRecording(record.Model);
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
