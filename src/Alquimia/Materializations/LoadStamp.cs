using System.Globalization;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// <c>_loaded_at</c>: the column every incremental model's table carries, the start (UTC) of the run that last wrote
/// the row. A row the build leaves as it was keeps its stamp, so a downstream model can read exactly the rows written
/// since its own last build with <c>watermark: _loaded_at</c>: rows released from the quarantine among them, whose
/// business timestamps (<c>atualizado_em</c>, <c>_ingestion_timestamp</c>) may be days behind any lookback. Each run's
/// start is later than every earlier run's (<see cref="RunLedger.StartAfterEveryRun"/>), and a model is built after
/// the models it reads, so a stamp that a downstream build has seen is never written again: such a watermark is
/// exclusive (<c>&gt;</c>), and what is stored is the run's start rather than the newest value read.
/// </summary>
internal static class LoadStamp
{
    public const string Column = ReservedNames.LoadStamp;
    public const string Type = "TIMESTAMP";

    /// <summary>The query's own <c>_loaded_at</c> while a whole build ranks the versions by it (see <see cref="StampedKeepingReadStamp"/>).</summary>
    public const string ReadStampColumn = ReservedNames.Marker + "_read_loaded_at";

    public static bool IsStamp(string column) => string.Equals(column, Column, StringComparison.OrdinalIgnoreCase);

    /// <summary>This build's stamp, as a SQL constant.</summary>
    public static string Value(ModelBuild build) => $"TIMESTAMP '{Text(build)}'";

    /// <summary>The condition true of the rows this build wrote into the model's table, and of no other.</summary>
    public static string WrittenBy(ModelBuild build) => $"{SqlText.Identifier(Column)} = {Value(build)}";

    /// <summary>The watermark a <c>_loaded_at</c> watermark stores: the run's start, which every stamp the build read is at most.</summary>
    public static StoredWatermark Watermark(ModelBuild build) => new(Column, Text(build), Type);

    /// <summary>
    /// The rows of <paramref name="sql"/> with this build's stamp as their last column, in place of any <c>_loaded_at</c>
    /// they carry: an upstream's stamp passed through (<c>SELECT *</c> of an incremental model) says when that model
    /// wrote the row, not when this one did.
    /// </summary>
    public static string Stamped(ModelBuild build, string sql) => Stamping(build, sql, "");

    /// <summary>
    /// Like <see cref="Stamped"/>, with the query's own <c>_loaded_at</c> kept after the stamp as
    /// <see cref="ReadStampColumn"/>, for ranking the versions by the stamps the query read; the build drops it once the
    /// versions are ranked. Replacing the column afterwards instead (drop it, add it back with the stamp as default)
    /// made DuckDB write the whole table into the write-ahead log at the commit, and the checkpoint write it again
    /// (V-Credit at 10M chamados: the fact took 3.0 s to commit, and the checkpoints that followed it and
    /// <c>gold.dm_cliente</c> 0.9 and 6.0 s); dropping a column leaves the rows where they were written.
    /// </summary>
    public static string StampedKeepingReadStamp(ModelBuild build, string sql) => Stamping(build, sql, $", {Column} AS {ReadStampColumn}");

    /// <summary>The columns the build writes: the query's, without its own <c>_loaded_at</c>, then the stamp.</summary>
    public static List<ColumnInfo> Written(IReadOnlyList<ColumnInfo> queryColumns) =>
        [.. queryColumns.Where(column => !IsStamp(column.Name)), new ColumnInfo(Column, Type)];

    private static string Stamping(ModelBuild build, string sql, string after) =>
        $"SELECT COLUMNS(column_name -> lower(column_name) <> '{Column}'), {Value(build)} AS {Column}{after} FROM ({sql}) AS stamped";

    private static string Text(ModelBuild build) => SqlText.UtcTimestampText(build.RunStartedAt);
}
