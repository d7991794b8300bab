using System.Text.RegularExpressions;
using Alquimia.Projects;
using Alquimia.Quality;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// The statements of a model's SQL task on Databricks, by its materialization: the model's SELECT printed in Spark SQL
/// (<see cref="SparkSqlPrinter"/>) inside the Delta statement that keeps its result as Alquimia would. Each statement
/// commits on its own, so each is written to be correct when the task is retried after any of them.
/// </summary>
public static partial class ModelStatements
{
    /// <summary>The first statement of every task: the layers' schemas are in the catalog the job's parameter names.</summary>
    public const string UseCatalog = "USE CATALOG IDENTIFIER(:catalog)";

    /// <summary>The statements of <paramref name="model"/>'s task, in order.</summary>
    /// <param name="shape">The project's relations as DuckDB binds them: the columns Spark cannot infer.</param>
    /// <param name="databricksSelect">The model's own Databricks SELECT (<see cref="ModelOverride"/>), used as written instead of printing its SQL.</param>
    /// <exception cref="UnportableSqlException">The model's SQL or one of its conditions has no Spark form.</exception>
    public static IReadOnlyList<string> Of(ModelDefinition model, SparkSqlPrinter printer, ProjectShape shape, string? databricksSelect = null)
    {
        var name = model.Name.ToString();
        var select = databricksSelect ?? printer.Print(model.Sql, name);
        var cluster = model.Config.PartitionBy.Count == 0 ? "" : $"\nCLUSTER BY ({string.Join(", ", model.Config.PartitionBy.Select(SparkSqlPrinter.Identifier))})";
        var table = TableName(model.Name);
        var comment = model.Config.Description is { } description ? $"\nCOMMENT {SparkSqlPrinter.StringLiteral(description)}" : "";
        return model.Config.Materialized switch
        {
            MaterializationKind.View when select.Contains(":run_date", StringComparison.Ordinal) => throw new UnportableSqlException(
                name, 0, "run_date() in a view", "Databricks keeps no job parameter in a view: make the model a table or a delete_insert"),
            MaterializationKind.View => [UseCatalog, $"CREATE OR REPLACE VIEW {table}{comment}\nAS\n{select}"],
            MaterializationKind.Table => Table(model, printer, shape, table, select, cluster, comment),
            MaterializationKind.DeleteInsert => DeleteInsert(model, printer, shape, table, select, cluster, comment),
            MaterializationKind.Incremental => Incremental(model, printer, shape, table, select, cluster, comment),
            MaterializationKind.Snapshot => Snapshot(model, shape, table, select, cluster, comment),
            MaterializationKind.ApplyChanges => AutoCdc(model, printer),
            var other => throw new ArgumentOutOfRangeException(nameof(model), other, "A materialization the deploy does not know."),
        };
    }

    /// <summary>
    /// The table replaced whole. With expectations, the rows are checked first into a scratch table (see
    /// <see cref="ExpectationChecks"/>), and the table and its quarantine are both replaced from it.
    /// </summary>
    private static IReadOnlyList<string> Table(ModelDefinition model, SparkSqlPrinter printer, ProjectShape shape, string table, string select, string cluster, string comment)
    {
        if (ExpectationChecks.For(model, printer, shape) is not { } checks)
        {
            return [UseCatalog, $"CREATE OR REPLACE TABLE {table}\nUSING DELTA{cluster}{comment}\nAS\n{select}", .. Retention(model, table)];
        }

        var columns = string.Join(", ", shape.Columns(model.Name).Select(column => SparkSqlPrinter.Identifier(column.Name)));
        return
        [
            UseCatalog,
            .. checks.Check(select, incremental: false),
            $"CREATE OR REPLACE TABLE {table}\nUSING DELTA{cluster}{comment}\nAS\nSELECT {columns} FROM (\n{checks.ValidRows}\n) AS valid",
            .. checks.Quarantines ? [checks.ReplaceQuarantine()] : Array.Empty<string>(),
            checks.DropChecked,
            .. Retention(model, table),
        ];
    }

    /// <summary>
    /// The table created empty with the model's columns the first time, then its window replaced atomically (Delta's
    /// <c>INSERT … REPLACE WHERE</c>: the rows of the window out, the model's rows in, in one commit), then the
    /// retention. With expectations, the window's rows are checked first, and the quarantine's window is replaced
    /// before the table's, as Alquimia replaces a delete_insert's quarantine by its window. A retry after any statement
    /// does the same again and ends in the same tables.
    /// </summary>
    private static IReadOnlyList<string> DeleteInsert(ModelDefinition model, SparkSqlPrinter printer, ProjectShape shape, string table, string select, string cluster, string comment)
    {
        var window = printer.PrintCondition(model.Config.Window!, model.Name.ToString());
        var create = $"CREATE TABLE IF NOT EXISTS {table}\nUSING DELTA{cluster}{comment}\nAS\nSELECT * FROM (\n{select}\n) AS model\nWHERE false";
        var windowRows = $"SELECT * FROM (\n{select}\n) AS model\nWHERE {window}";
        if (ExpectationChecks.For(model, printer, shape) is not { } checks)
        {
            return [UseCatalog, create, $"INSERT INTO {table}\nREPLACE WHERE {window}\n{windowRows}", .. Retention(model, table)];
        }

        var columns = string.Join(", ", shape.Columns(model.Name).Select(column => SparkSqlPrinter.Identifier(column.Name)));
        return
        [
            UseCatalog,
            create,
            .. checks.CreateQuarantine(select),
            .. checks.Check(windowRows, incremental: false),
            .. checks.Quarantines ? [checks.ReplaceQuarantineWindow(window)] : Array.Empty<string>(),
            $"INSERT INTO {table}\nREPLACE WHERE {window}\nSELECT {columns} FROM (\n{checks.ValidRows}\n) AS valid",
            checks.DropChecked,
            .. Retention(model, table),
        ];
    }

    /// <summary>
    /// The maintenance after a model written in place (delete_insert, incremental, snapshot) and its quarantine:
    /// OPTIMIZE compacts the small files each run adds (and clusters them by CLUSTER BY), VACUUM removes the files
    /// replaced more than the table's retention ago (7 days by default), which time travel no longer needs.
    /// Databricks' own statements: Spark's grammar has neither.
    /// </summary>
    public static IReadOnlyList<string> Maintenance(ModelDefinition model)
    {
        var tables = model.Config.Quarantines ? [model.Name, QuarantineTable.For(model)] : new[] { model.Name };
        return [UseCatalog, .. tables.SelectMany(table => new[] { $"OPTIMIZE {TableName(table)}", $"VACUUM {TableName(table)}" })];
    }

    /// <summary>True for the models whose task rewrites files in place, which <see cref="Maintenance"/> then compacts and cleans.</summary>
    public static bool NeedsMaintenance(ModelDefinition model) =>
        model.Config.Materialized is MaterializationKind.DeleteInsert or MaterializationKind.Incremental or MaterializationKind.Snapshot;

    /// <summary>The rows older than the retention, counted back from the run date as Alquimia counts them.</summary>
    private static IEnumerable<string> Retention(ModelDefinition model, string table)
    {
        if (model.Config.Retention is not { } retention)
        {
            yield break;
        }

        var keep = Interval(retention.Keep) ?? throw new UnportableSqlException(
            model.Name.ToString(), 0, $"the retention '{retention.Keep}'", "write it as a number and a unit, e.g. 90 days, 12 months or 2 years");
        yield return $"DELETE FROM {table}\nWHERE {SparkSqlPrinter.Identifier(retention.Column)} < CAST(:run_date AS DATE) - {keep}";
    }

    /// <summary>A model's table in Spark SQL: <c>gold.crm_metrics_daily</c>.</summary>
    public static string TableName(QualifiedName name) => $"{SparkSqlPrinter.Identifier(name.Schema)}.{SparkSqlPrinter.Identifier(name.Name)}";

    /// <summary>A duration of the front matter (<c>90 days</c>, <c>36 hours</c>) as Spark's interval literal; null when it is not one number and one unit.</summary>
    public static string? Interval(string text)
    {
        var match = IntervalPattern().Match(text.Trim());
        return match.Success ? $"INTERVAL {match.Groups["count"].Value} {match.Groups["unit"].Value.ToUpperInvariant().TrimEnd('S')}S" : null;
    }

    [GeneratedRegex(@"^(?<count>\d+)\s*(?<unit>minutes?|hours?|days?|weeks?|months?|years?)$", RegexOptions.IgnoreCase)]
    private static partial Regex IntervalPattern();
}
