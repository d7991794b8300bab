namespace Alquimia.Warehouse;

/// <summary>
/// A medallion layer. The layer is the schema: <c>bronze.chamados</c>, <c>silver.tb_chamado</c>,
/// <c>gold.ft_atendimento_geral</c>. Landing is not here: it is Parquet files in the lake, not warehouse tables.
/// </summary>
public sealed record Layer(string Schema, string Description)
{
    public static readonly Layer Bronze = new("bronze", "one table per source table, append-only, with ingestion metadata");
    public static readonly Layer Silver = new("silver", "typed, cleaned, validated; invalid rows go to <table>_invalidos");
    public static readonly Layer Gold = new("gold", "star schema: dm_* dimensions and ft_* facts");
    public static readonly Layer Curated = new("curated", "views and materialized aggregates for dashboards");

    /// <summary>The layers in the order data flows through them.</summary>
    public static IReadOnlyList<Layer> All { get; } = [Bronze, Silver, Gold, Curated];

    /// <summary>Where Alquimia keeps its own state: runs, model runs, watermarks, quality results.</summary>
    public const string StateSchema = "_alquimia";
}
