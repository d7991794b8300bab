using Alquimia.Projects;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// A model's Databricks SELECT, written by hand in <c>&lt;model&gt;.databricks.sql</c> beside the model's file, for SQL
/// the printer refuses. It replaces only the SELECT: the model's materialization still wraps it (CREATE OR REPLACE,
/// REPLACE WHERE, the retention…), and its dependencies still come from the model's own SQL. It is Spark SQL, so it is
/// never given to DuckDB's parser.
/// </summary>
public static class ModelOverride
{
    /// <summary>The end of an override file's name: <c>dm_cliente.databricks.sql</c> overrides <c>dm_cliente.sql</c>.</summary>
    public const string Suffix = ProjectLoader.DatabricksOverrideSuffix;

    /// <summary>The override file of <paramref name="model"/>, whether it exists or not.</summary>
    public static string PathOf(ModelDefinition model) =>
        Path.Combine(Path.GetDirectoryName(model.FilePath)!, Path.GetFileNameWithoutExtension(model.FilePath) + Suffix);

    /// <summary>The override's SELECT, without a trailing semicolon; null when the model has no override file.</summary>
    /// <exception cref="AlquimiaException">The file is empty.</exception>
    public static string? Read(ModelDefinition model)
    {
        var path = PathOf(model);
        if (!File.Exists(path))
        {
            return null;
        }

        var select = File.ReadAllText(path).Trim().TrimEnd(';').TrimEnd();
        return select.Length > 0
            ? select
            : throw new AlquimiaException($"{model.Name}: {Path.GetFileName(path)} is empty. Write the model's SELECT in Databricks SQL there, or delete the file to print the model's own SQL.");
    }

    /// <summary>
    /// The statements of the model's task with <paramref name="select"/> as its SELECT.
    /// </summary>
    /// <remarks>
    /// Until ModelStatements takes a SELECT text of its own (the API asked for in docs/databricks.md), the model is given
    /// a stand-in SELECT that DuckDB parses and the printer prints verbatim, and the printed stand-in is then replaced by
    /// the override in each statement: the materialization's statements are ModelStatements' own, never a copy.
    /// </remarks>
    /// <exception cref="UnportableSqlException">The model is a view whose override reads <c>:run_date</c>, or one of its conditions has no Spark form.</exception>
    public static IReadOnlyList<string> Statements(ModelDefinition model, string select, SparkSqlPrinter printer, ProjectShape shape)
    {
        if (model.Config.Materialized == MaterializationKind.View && select.Contains(":run_date", StringComparison.Ordinal))
        {
            throw new UnportableSqlException(model.Name.ToString(), 0, "run_date() in a view",
                "Databricks keeps no job parameter in a view: make the model a table or a delete_insert");
        }

        const string StandIn = "SELECT 1 AS __alquimia_databricks_override";
        var printed = printer.Print(StandIn, model.Name.ToString());
        var statements = ModelStatements.Of(model with { Sql = StandIn }, printer, shape);
        if (!statements.Any(statement => statement.Contains(printed, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{model.Name}: the stand-in SELECT was not found in the model's statements, so its override cannot be put in.");
        }

        return [.. statements.Select(statement => statement.Replace(printed, select, StringComparison.Ordinal))];
    }
}
