using Alquimia.Graph;
using Alquimia.Ingestion;
using Alquimia.Ingestion.Landing;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Orchestration;

/// <summary>Turns a node of the plan into the step that runs it: ingestion for a source table, a materialization for a model.</summary>
internal static class StepFactory
{
    public const string IngestKind = "ingest";

    /// <summary>The kind of an ingestion step that rebuilds bronze from landing (<see cref="RunOptions.Replay"/>).</summary>
    public const string ReplayKind = "replay";

    public static RunStep Create(PipelineNode node, RunContext run) => node switch
    {
        SourceTableNode source => new RunStep(
            node.Name.ToString(), run.Replay ? ReplayKind : IngestKind, run.Settings.ModelTimeout, run.Settings.Retries,
            (connection, cancellationToken) => Ingest(connection, source, run, cancellationToken)),
        ModelNode model => ForModel(model.Model, run),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown kind of pipeline node."),
    };

    /// <summary>
    /// A sync of the table (extraction of a database table into a landing file, then every new landing file into
    /// bronze, checked and recorded), or with <see cref="RunOptions.Replay"/> its bronze rebuilt from landing alone —
    /// in the step's transaction either way.
    /// </summary>
    private static MaterializationResult Ingest(CheckedConnection connection, SourceTableNode node, RunContext run, CancellationToken cancellationToken) =>
        run.Replay
            ? LandingReplay.Run(connection, run.Project, node.Source, node.Table, run.Run.RunId, run.Time, cancellationToken)
            : SourceSync.Run(
                connection, run.Project, node.Source, node.Table, run.Connectors.For(node.Source), run.Run.RunId, run.Time,
                () => run.Session(node.Source, run.Connectors.For(node.Source), cancellationToken), run.Logger, cancellationToken);

    private static RunStep ForModel(ModelDefinition model, RunContext run)
    {
        var name = model.Name.ToString();
        var materialization = Materialization.For(model.Config.Materialized);
        return new RunStep(
            name, model.Config.Materialized.ConfigName(), model.Config.Timeout ?? run.Settings.ModelTimeout, model.Config.Retries ?? run.Settings.Retries,
            (connection, cancellationToken) =>
            {
                var build = new ModelBuild(connection, model, cancellationToken)
                {
                    FullRefresh = run.RebuildsFromScratch(model),
                    RunStartedAt = run.Run.StartedAt,
                    RunDate = run.Run.RunDate,
                    RunId = run.Run.RunId,
                    QualityThreshold = model.Config.ThresholdWithin(run.Settings.QualityThreshold),
                    StoredWatermark = model.Config.Materialized is MaterializationKind.Incremental or MaterializationKind.ApplyChanges ? RunLedger.ReadWatermark(connection, name) : null,
                };
                ModelFunctions.Define(connection, build);
                try
                {
                    // Tests run on what the build wrote, inside its transaction: an error-severity failure rolls it back.
                    return DataTestRunner.AfterBuild(build, materialization.Build(build));
                }
                catch (DuckDbEngineException error) when (ModelSqlErrors.Locate(error, model, run.Project.Directory) is { } located)
                {
                    throw located;
                }
            })
        {
            WatermarkOwner = name,
        };
    }
}
