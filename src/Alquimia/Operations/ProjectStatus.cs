using Alquimia.Orchestration;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Quality;
using Alquimia.Warehouse;

namespace Alquimia.Operations;

/// <summary>What <c>alquimia status</c> shows: the last runs, one run's steps, the watermarks, and each relation's rows now.</summary>
public sealed record ProjectStatus(
    IReadOnlyList<RunRecord> Runs,
    IReadOnlyList<ModelRunRecord> Steps,
    IReadOnlyList<(string Model, StoredWatermark Watermark)> Watermarks,
    IReadOnlyList<(QualifiedName Relation, RelationKind Kind, long? Rows)> Relations)
{
    /// <summary>Reads the status; <paramref name="runId"/> picks the run whose steps are shown (default: the newest).</summary>
    /// <remarks>Reads in a read-only transaction: the warehouse may be opened read-only, or be written by a run meanwhile.</remarks>
    public static ProjectStatus Read(EmbeddedWarehouse warehouse, Project project, string? runId = null, int runs = 10) =>
        warehouse.Read(connection => Read(connection, warehouse.Path, project, runId, runs));

    private static ProjectStatus Read(CheckedConnection connection, string warehousePath, Project project, string? runId, int runs)
    {
        StateTables.EnsureCurrent(connection, warehousePath);
        var recent = RunLedger.RecentRuns(connection, runs);
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
        return new ProjectStatus(recent, steps, RunLedger.Watermarks(connection), relations);
    }

    /// <summary>Layers in the order data flows through them; any other schema after them.</summary>
    private static int LayerOrder(string schema)
    {
        var index = Layer.All.Select(layer => layer.Schema).ToList().IndexOf(schema);
        return index < 0 ? int.MaxValue : index;
    }

    private static (QualifiedName, RelationKind, long?) Describe(CheckedConnection connection, QualifiedName name)
    {
        var kind = RelationCatalog.KindOf(connection, name);
        long? rows = kind == RelationKind.None ? null : connection.Scalar<long>($"SELECT count(*) FROM {name.Sql}");
        return (name, kind, rows);
    }
}
