using Alquimia.Warehouse;

namespace Alquimia.Operations;

/// <summary>When each table was last refreshed and each job last succeeded, as the warehouse records it.</summary>
/// <param name="Tables">By relation (<c>layer.name</c>): when a step that writes it last succeeded.</param>
/// <param name="Jobs">By job name: when its latest successful slot run ended.</param>
public sealed record Freshness(IReadOnlyDictionary<string, DateTimeOffset> Tables, IReadOnlyDictionary<string, DateTimeOffset> Jobs)
{
    /// <summary>Reads it on a connection of its own, beside a run going on; empty before any run.</summary>
    public static Freshness Read(EmbeddedWarehouse warehouse) => warehouse.Read(connection =>
        RelationCatalog.KindOf(connection, new(Layer.StateSchema, "model_runs")) == RelationKind.None
            ? new Freshness(new Dictionary<string, DateTimeOffset>(), new Dictionary<string, DateTimeOffset>())
            : new Freshness(RunLedger.LastSuccesses(connection), JobSlots.Exist(connection) ? JobSlots.LastSuccesses(connection) : new Dictionary<string, DateTimeOffset>()));
}
