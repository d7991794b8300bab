namespace Alquimia.Warehouse;

/// <summary>
/// The DuckDB storage format Alquimia writes new warehouse files in (DuckDB's <c>storage_compatibility_version</c>).
/// </summary>
/// <remarks>
/// DuckDB writes a new file in its 1.0 format unless told otherwise, so that any DuckDB since 1.0 can open it. The
/// later formats compress text better and cheaper (dictionary-FSST): on V-Credit at 1M chamados a full run took
/// 11.8-12.0 s against 13.8-14.3 s, with 17.5 CPU-seconds against 21, and loading 2M PostgreSQL rows into bronze
/// 0.72 s against 1.02-1.14 s. The price is that only DuckDB 1.5 and later opens the file; a project that shares its
/// warehouse with older DuckDB tools says <c>storage_version: v1.0.0</c>. A file keeps the format it was created in.
/// </remarks>
public static class WarehouseStorage
{
    /// <summary>The format of a new warehouse unless alquimia.yml says otherwise.</summary>
    public const string DefaultVersion = "v1.5.0";

    /// <summary>The formats DuckDB 1.5 writes, oldest first; each is opened by that DuckDB version and later ones.</summary>
    public static IReadOnlyList<string> Versions { get; } = ["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0"];

    /// <summary>The connection option that asks for it.</summary>
    internal const string Option = "storage_compatibility_version";
}
