using System.Globalization;
using Alquimia.Materializations;
using Alquimia.Projects;

namespace Alquimia.Tests.Materializations.ApplyChanges;

/// <summary>
/// Seed 002's customers change feed in bronze (<c>bronze.customers_cdc</c>: the row, its operation and its sequence,
/// and bronze's arrival stamp) and <c>gold.dm_customer</c> applying it, built the way the runner builds it.
/// </summary>
internal sealed class ChangeFeedFixture : IDisposable
{
    private int _arrivals;

    public ChangeFeedFixture()
    {
        Warehouse.Execute(
            """
            CREATE TABLE bronze.customers_cdc (
                id_cliente INTEGER, nome VARCHAR, cidade VARCHAR, operation VARCHAR, sequence_num BIGINT, _ingestion_timestamp TIMESTAMP)
            """);
    }

    public MaterializationFixture Warehouse { get; } = new();

    /// <summary>Seed 002's SCD type 1 settings: deletes by the operation column, the feed's own columns left out of the target.</summary>
    public static ApplyChangesSettings Scd1 { get; } = new()
    {
        Keys = ["id_cliente"],
        SequenceBy = "sequence_num",
        ApplyAsDeletes = "operation = 'DELETE'",
        ExceptColumns = ["operation", "sequence_num", "_ingestion_timestamp"],
        Line = 2,
    };

    /// <summary>The same, stored as SCD type 2.</summary>
    public static ApplyChangesSettings Scd2 { get; } = Scd1 with { ScdType = 2 };

    public static ModelDefinition Model(ApplyChangesSettings settings, string sql = "SELECT * FROM bronze.customers_cdc") =>
        MaterializationFixture.Model("gold.dm_customer", sql, new ModelConfig
        {
            Materialized = MaterializationKind.ApplyChanges,
            Watermark = "_ingestion_timestamp",
            ApplyChanges = settings,
        });

    /// <summary>
    /// Lands changes in the feed, each given as <c>id, nome, cidade, operation, sequence</c> in SQL, one second apart in
    /// arrival order.
    /// </summary>
    public void Arrive(params string[] changes)
    {
        foreach (var change in changes)
        {
            _arrivals++;
            Warehouse.Execute(string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO bronze.customers_cdc VALUES ({change}, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL {_arrivals} SECOND)"));
        }
    }

    public MaterializationResult Build(ApplyChangesSettings settings, bool fullRefresh = false) => Warehouse.Build(Model(settings), fullRefresh);

    /// <summary>The target's customers, ordered by key: <c>id|nome|cidade</c>.</summary>
    public List<string> Customers() => Warehouse.Rows("SELECT id_cliente, nome, cidade FROM gold.dm_customer ORDER BY id_cliente");

    /// <summary>The target's versions, ordered by key and start: <c>id|nome|cidade|__START_AT|__END_AT</c>.</summary>
    public List<string> Versions() => Warehouse.Rows("SELECT id_cliente, nome, cidade, __START_AT, __END_AT FROM gold.dm_customer ORDER BY id_cliente, __START_AT");

    public void Dispose() => Warehouse.Dispose();
}
