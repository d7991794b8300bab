using Alquimia.Materializations;
using Alquimia.Projects;

namespace Alquimia.Deploy.Databricks;

public static partial class ModelStatements
{
    /// <summary>The session variable <c>is_incremental()</c> and <c>watermark_lower_bound()</c> read (see <see cref="SparkSqlPrinter"/>).</summary>
    public const string WatermarkVariable = "alquimia_watermark";

    /// <summary>What <c>_loaded_at</c> is on Databricks: the time of the statement that writes the row, in UTC.</summary>
    private const string Stamp = "CAST(current_timestamp() AS TIMESTAMP_NTZ)";

    /// <summary>
    /// An incremental model, as dbt-databricks writes one: the watermark is read back from the table itself (its newest
    /// value, less the lookback), never from a state of its own that a failed task could leave ahead of the data. The
    /// rows past it, one version per key (the latest, as Alquimia ranks them), are merged on unique_key: a changed row
    /// is updated and stamped, a new one inserted, an unchanged one left as it is. The first run, on an empty table,
    /// reads every row. With expectations, the quarantine is merged before the table: a task stopped between the two
    /// reads the same rows again, so no row is lost from either. The cost: quarantined rows newer than every valid one
    /// are read again by each run until a newer valid row arrives. A retry after any statement ends in the same tables.
    /// </summary>
    private static List<string> Incremental(ModelDefinition model, SparkSqlPrinter printer, ProjectShape shape, string table, string select, string cluster, string comment)
    {
        var config = model.Config;
        var columns = shape.Columns(model.Name).Select(column => column.Name).ToList();
        var watermark = SparkSqlPrinter.Identifier(config.Watermark!);
        var watermarkType = shape.TypeOf(model.Name, config.Watermark!);
        var checks = ExpectationChecks.For(model, printer, shape);
        var lookback = config.Lookback is null ? "" : " - " + Lookback(model, config.Lookback, watermarkType);
        // A _loaded_at watermark is this table's own stamp, the time of its last write: what the upstream stamped after
        // it is new, what it stamped before was read then (LoadStamp's rule, with the write's time for the run's start).
        var newRows = $"""
            SELECT * FROM (
            {select}
            ) AS model
            WHERE {WatermarkVariable} IS NULL OR model.{watermark} {(LoadStamp.IsStamp(config.Watermark!) ? ">" : ">=")} {WatermarkVariable}
            """;
        var statements = new List<string>
        {
            UseCatalog,
            $"DECLARE OR REPLACE VARIABLE {WatermarkVariable} {printer.PrintType(watermarkType, model.Name.ToString())}",
            $"CREATE TABLE IF NOT EXISTS {table}\nUSING DELTA{cluster}{comment}\nAS\nSELECT {Written(columns, "model")}\nFROM (\n{select}\n) AS model\nWHERE false",
        };
        if (checks is not null)
        {
            statements.AddRange(checks.CreateQuarantine(select));
        }

        statements.Add($"SET VAR {WatermarkVariable} = (SELECT max({watermark}){lookback} FROM {table})");
        var batch = LatestVersions(config, columns, newRows);
        if (checks is null)
        {
            statements.Add(Merge(config, columns, table, batch));
        }
        else
        {
            statements.AddRange(checks.Check(batch, incremental: true));
            statements.Add(Merge(config, columns, table, checks.ValidRows));
            statements.Add(checks.DropChecked);
        }

        statements.AddRange(Retention(model, table));
        return statements;
    }

    /// <summary>
    /// One row per unique_key among <paramref name="rows"/>, ranked as <see cref="SqlLists.VersionRank"/> ranks them: the
    /// latest watermark, then the latest arrival (<c>_ingestion_timestamp</c>), then a hash of the other values, so that
    /// ties are broken the same way on every run (not necessarily on the same row as DuckDB's hash picks).
    /// </summary>
    private static string LatestVersions(ModelConfig config, IReadOnlyList<string> columns, string rows)
    {
        var keys = string.Join(", ", config.UniqueKey.Select(SparkSqlPrinter.Identifier));
        var order = new List<string> { $"{SparkSqlPrinter.Identifier(config.Watermark!)} DESC NULLS LAST" };
        const string Arrival = "_ingestion_timestamp";
        if (columns.Contains(Arrival, StringComparer.OrdinalIgnoreCase) && !string.Equals(config.Watermark, Arrival, StringComparison.OrdinalIgnoreCase))
        {
            order.Add($"{Arrival} DESC NULLS LAST");
        }

        var others = columns.Where(column => !LoadStamp.IsStamp(column) && !config.UniqueKey.Contains(column, StringComparer.OrdinalIgnoreCase)
            && !string.Equals(column, config.Watermark, StringComparison.OrdinalIgnoreCase)).Select(SparkSqlPrinter.Identifier).ToList();
        if (others.Count > 0)
        {
            order.Add($"xxhash64({string.Join(", ", others)})");
        }

        return $"""
            SELECT * FROM (
            SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY {string.Join(", ", order)}) AS alquimia_version
            FROM (
            {rows}
            ) AS versions
            ) AS ranked
            WHERE alquimia_version = 1
            """;
    }

    /// <summary>
    /// The batch merged on unique_key (NULL keys are one key, as in Alquimia): a row whose other values changed is
    /// updated and stamped, a new key inserted; a row that did not change keeps its stamp, so the models that read this
    /// one by <c>_loaded_at</c> do not read it again.
    /// </summary>
    private static string Merge(ModelConfig config, IReadOnlyList<string> columns, string table, string batch)
    {
        var keys = config.UniqueKey;
        var compared = columns.Where(column => !keys.Contains(column, StringComparer.OrdinalIgnoreCase) && !LoadStamp.IsStamp(column)).ToList();
        var matched = compared.Count == 0
            ? ""
            : $"\nWHEN MATCHED AND ({string.Join(" OR ", compared.Select(column => $"NOT (target.{SparkSqlPrinter.Identifier(column)} <=> batch.{SparkSqlPrinter.Identifier(column)})"))}) THEN\n"
              + $"  UPDATE SET {string.Join(", ", columns.Where(column => !keys.Contains(column, StringComparer.OrdinalIgnoreCase)).Select(column => $"{SparkSqlPrinter.Identifier(column)} = {(LoadStamp.IsStamp(column) ? Stamp : "batch." + SparkSqlPrinter.Identifier(column))}"))}";
        return $"""
            MERGE INTO {table} AS target
            USING (
            {batch}
            ) AS batch
            ON {KeysMatch(keys, "target", "batch")}{matched}
            WHEN NOT MATCHED THEN
              INSERT ({string.Join(", ", columns.Select(SparkSqlPrinter.Identifier))})
              VALUES ({Written(columns, "batch", named: false)})
            """;
    }

    /// <summary><c>a.k1 &lt;=&gt; b.k1 AND …</c>: NULL keys are one key, as <see cref="SqlLists.KeysMatch"/> makes them.</summary>
    internal static string KeysMatch(IEnumerable<string> keys, string left, string right) =>
        string.Join(" AND ", keys.Select(key => $"{left}.{SparkSqlPrinter.Identifier(key)} <=> {right}.{SparkSqlPrinter.Identifier(key)}"));

    /// <summary>The columns as written to the table: each from <paramref name="alias"/>, <c>_loaded_at</c> stamped now.</summary>
    private static string Written(IReadOnlyList<string> columns, string alias, bool named = true) =>
        string.Join(", ", columns.Select(column => LoadStamp.IsStamp(column)
            ? Stamp + (named ? $" AS {SparkSqlPrinter.Identifier(column)}" : "")
            : $"{alias}.{SparkSqlPrinter.Identifier(column)}"));

    /// <summary>The lookback in Spark: an interval for a date or time watermark, a number for a numeric one.</summary>
    private static string Lookback(ModelDefinition model, string lookback, string watermarkType)
    {
        if (!Watermarks.IsTemporal(watermarkType))
        {
            return decimal.TryParse(lookback, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? lookback
                : throw new UnportableSqlException(model.Name.ToString(), 0, $"the lookback '{lookback}' of a {watermarkType} watermark", "write it as a number");
        }

        return Interval(lookback) ?? throw new UnportableSqlException(
            model.Name.ToString(), 0, $"the lookback '{lookback}'", "write it as a number and a unit, e.g. 3 days or 6 hours");
    }
}
