using Alquimia.Graph;
using Alquimia.Ingestion;
using Alquimia.Ingestion.Landing;
using Alquimia.Materializations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Operations;

/// <summary>
/// Seed 000's one-time phase (<c>alquimia setup</c>): creates the schemas and every table and view of the project,
/// empty, in dependency order. Idempotent: what exists is left as it is, so re-running it after adding models
/// creates only the new ones.
/// </summary>
public static class ProjectSetup
{
    public static SetupReport Run(EmbeddedWarehouse warehouse, Project project, CancellationToken cancellationToken = default)
    {
        var graph = new PipelineGraph(project);
        using var turn = warehouse.EnterWriterAsync($"setup ({Environment.MachineName}, PID {Environment.ProcessId})", WhenBusy.Wait, cancellationToken)
            .GetAwaiter().GetResult();
        warehouse.EnsureLayers();
        StateTables.EnsureCreated(warehouse.Connection);

        var items = new List<SetupItem>();
        var unavailable = new HashSet<PipelineNode>();
        foreach (var node in graph.Levels.SelectMany(level => level))
        {
            var missingUpstream = graph.Dag.Upstream(node).FirstOrDefault(unavailable.Contains);
            if (missingUpstream is not null)
            {
                unavailable.Add(node);
                items.Add(new SetupItem(node.Name, SetupOutcome.Skipped, $"{missingUpstream.Name} could not be created"));
                continue;
            }

            if (node is SourceTableNode { Source.LoadsBronze: false } landed)
            {
                items.Add(new SetupItem(node.Name, SetupOutcome.LandedOnly, $"source '{landed.Source.Name}' lands its tables without loading them (bronze: false)"));
                continue;
            }

            try
            {
                using var transaction = warehouse.Connection.BeginTransaction();
                var created = Create(warehouse, project, node, cancellationToken);
                transaction.Commit();
                items.Add(new SetupItem(node.Name, created ? SetupOutcome.Created : SetupOutcome.Existed, null));
            }
            catch (Exception error) when (error is AlquimiaException or DuckDbEngineException)
            {
                unavailable.Add(node);
                items.Add(new SetupItem(node.Name, SetupOutcome.Failed, error.Message));
            }
        }

        return new SetupReport(warehouse.Path, warehouse.EngineVersion, items, warehouse.DescribeLayers());
    }

    private static bool Create(EmbeddedWarehouse warehouse, Project project, PipelineNode node, CancellationToken cancellationToken) => node switch
    {
        SourceTableNode source => LandingLoader.CreateBronze(warehouse.Connection, project, source.Source, source.Table, cancellationToken),
        ModelNode model => CreateModel(new ModelBuild(warehouse.Connection, model.Model, cancellationToken) { RunDate = project.Settings.Today(TimeProvider.System) }),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown kind of pipeline node."),
    };

    /// <summary>The model's relation and, for a model with quarantine rules, its <c>_invalidos</c> table.</summary>
    private static bool CreateModel(ModelBuild build)
    {
        // Creating the empty relation binds the model's SQL, which may call is_incremental(): FALSE here, as setup
        // passes no stored watermark.
        ModelFunctions.Define(build.Connection, build);
        var created = Materialization.For(build.Model.Config.Materialized).CreateEmpty(build);
        return QuarantineTable.CreateEmpty(build) || created;
    }
}

/// <summary>What <c>alquimia setup</c> did: the warehouse, its engine, each relation's outcome, and the layers now.</summary>
public sealed record SetupReport(string WarehousePath, string EngineVersion, IReadOnlyList<SetupItem> Items, IReadOnlyList<LayerSummary> Layers);

/// <summary>What <c>alquimia setup</c> did with one table or view.</summary>
public sealed record SetupItem(QualifiedName Name, SetupOutcome Outcome, string? Message);

/// <summary>The outcome of setting up one relation.</summary>
public enum SetupOutcome
{
    /// <summary>It was missing and is now there, empty.</summary>
    Created,

    /// <summary>It was already there and was left as it was.</summary>
    Existed,

    /// <summary>It could not be created; the message says why.</summary>
    Failed,

    /// <summary>An upstream could not be created, so neither could it.</summary>
    Skipped,

    /// <summary>A table of a source that lands without loading (<c>bronze: false</c>): there is no bronze table to create.</summary>
    LandedOnly,
}
