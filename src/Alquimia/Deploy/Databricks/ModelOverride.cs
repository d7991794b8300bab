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
}
