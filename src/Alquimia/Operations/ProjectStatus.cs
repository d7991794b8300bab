using Alquimia.Orchestration;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;

namespace Alquimia.Operations;

/// <summary>A relation of the project as it is now: a table, a view, or missing (never built).</summary>
public sealed record RelationRows(QualifiedName Relation, RelationKind Kind, long? Rows);

/// <summary>An incremental model's stored watermark.</summary>
public sealed record ModelWatermark(string Model, StoredWatermark Watermark);

/// <summary>What <c>alquimia status</c> shows: the last runs, one run's steps, the watermarks, and each relation's rows now.</summary>
public sealed record ProjectStatus(
    IReadOnlyList<RunRecord> Runs,
    IReadOnlyList<ModelRunRecord> Steps,
    IReadOnlyList<ModelWatermark> Watermarks,
    IReadOnlyList<RelationRows> Relations)
{
    /// <summary>Reads the status; <paramref name="runId"/> picks the run whose steps are shown (default: the newest).</summary>
    /// <remarks>Reads in a read-only transaction: the warehouse may be opened read-only, or be written by a run meanwhile.</remarks>
    public static ProjectStatus Read(EmbeddedWarehouse warehouse, Project project, string? runId = null, int runs = 10) =>
        warehouse.Read(connection => Read(connection, warehouse.Path, warehouse.Writer, project, runId, runs));

    /// <summary>
    /// The last <paramref name="count"/> runs, newest first, as <see cref="Read(EmbeddedWarehouse, Project, string?, int)"/>
    /// shows them, without counting every relation's rows: what a client polling the runs asks for.
    /// </summary>
    public static IReadOnlyList<RunRecord> RecentRuns(EmbeddedWarehouse warehouse, int count = 10) => warehouse.Read(connection =>
    {
        StateTables.EnsureCurrent(connection, warehouse.Path);
        return (IReadOnlyList<RunRecord>)[.. RunLedger.RecentRuns(connection, count).Select(run => AsItIs(connection, run, warehouse.Writer))];
    });

    private static ProjectStatus Read(CheckedConnection connection, string warehousePath, string? writer, Project project, string? runId, int runs)
    {
        StateTables.EnsureCurrent(connection, warehousePath);
        var recent = RunLedger.RecentRuns(connection, runs).Select(run => AsItIs(connection, run, writer)).ToList();
        var shown = runId ?? recent.FirstOrDefault()?.RunId;
        if (runId is not null && !RunLedger.HasRun(connection, runId))
        {
            throw new AlquimiaException($"There is no run '{runId}' in {warehousePath}. `alquimia status` lists the recent ones.");
        }

        var steps = shown is null ? [] : RunLedger.ModelRunsOf(connection, shown);
        var quarantines = project.Models.Where(model => model.Config.Quarantines).Select(QuarantineTable.For);
        var names = project.SourceTables.Select(pair => pair.Table.BronzeName).Concat(project.Models.Select(model => model.Name)).Concat(quarantines);
        var relations = names
            .OrderBy(name => LayerOrder(name.Schema)).ThenBy(name => name.Name, StringComparer.Ordinal)
            .Select(name => Describe(connection, name)).ToList();
        return new ProjectStatus(recent, steps, [.. RunLedger.Watermarks(connection).Select(pair => new ModelWatermark(pair.Model, pair.Watermark))], relations);
    }

    /// <summary>
    /// A run recorded as running, as it is: the counts of the steps it committed (recorded only when a run finishes),
    /// and <see cref="RunStatus.Interrupted"/> when no one writes it. Only one process may open a warehouse while
    /// another writes it, so a run that is not this process's writer stopped without finishing (a crash, a kill);
    /// the next run records it so.
    /// </summary>
    private static RunRecord AsItIs(CheckedConnection connection, RunRecord run, string? writer)
    {
        if (run.Status != RunStatus.Running)
        {
            return run;
        }

        var steps = RunLedger.ModelRunsOf(connection, run.RunId);
        return run with
        {
            Status = writer is not null && writer.Contains(run.RunId, StringComparison.Ordinal) ? RunStatus.Running : RunStatus.Interrupted,
            ModelsSucceeded = steps.Count(step => step.Status is RunStatus.Succeeded or RunStatus.Warning),
            ModelsFailed = steps.Count(step => step.Status == RunStatus.Failed),
            ModelsSkipped = steps.Count(step => step.Status == RunStatus.Skipped),
        };
    }

    /// <summary>Layers in the order data flows through them; any other schema after them.</summary>
    private static int LayerOrder(string schema)
    {
        var index = Layer.All.Select(layer => layer.Schema).ToList().IndexOf(schema);
        return index < 0 ? int.MaxValue : index;
    }

    private static RelationRows Describe(CheckedConnection connection, QualifiedName name)
    {
        var kind = RelationCatalog.KindOf(connection, name);
        long? rows = kind == RelationKind.None ? null : connection.Scalar<long>($"SELECT count(*) FROM {name.Sql}");
        return new RelationRows(name, kind, rows);
    }
}
