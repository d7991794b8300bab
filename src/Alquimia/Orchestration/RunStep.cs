using Alquimia.Warehouse.DuckDb;
using Alquimia.Materializations;

namespace Alquimia.Orchestration;

/// <summary>
/// One unit of a run: building a model, or ingesting a source table into bronze. <see cref="Build"/> runs inside
/// the transaction <see cref="StepExecutor"/> opened, which commits it together with its bookkeeping.
/// </summary>
internal sealed record RunStep(string Name, string Kind, TimeSpan Timeout, int Retries, Func<CheckedConnection, CancellationToken, MaterializationResult> Build)
{
    /// <summary>The model whose watermark this step reads and writes, or null for steps that keep none.</summary>
    public string? WatermarkOwner { get; init; }
}
