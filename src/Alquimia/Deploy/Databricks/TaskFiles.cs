using Alquimia.Projects;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// The SQL file of a bundle's task: a header naming the project file it comes from, then its statements, each ended by
/// a semicolon and separated by a blank line. Which statements depends on the task: a source table's landing, a
/// model's materialization (with its override's SELECT when it has one), its data tests, or its maintenance.
/// </summary>
internal sealed class TaskFiles(Project project, SparkSqlPrinter printer, ProjectShape shape)
{
    /// <summary>The file's text.</summary>
    /// <exception cref="AlquimiaException">The step has no Databricks form (<see cref="UnportableSqlException"/>, <see cref="UnportableSourceException"/>) or is not written yet.</exception>
    public string Text(BundleTask task)
    {
        if (project.SourceTables.FirstOrDefault(pair => pair.Table.BronzeName == task.Step) is ({ } source, { } table))
        {
            var kind = source.Type == "files" ? "landing files" : $"landing files, which Alquimia does not extract on Databricks ({source.Type} source)";
            return File(Relative(source.FilePath), $"the {kind} of table {table.Name} into {table.BronzeName}", SourceStatements.Of(source, table, printer));
        }

        var model = project.FindModel(task.Step) ?? throw new InvalidOperationException($"Task {task.Key} runs {task.Step}, which is neither a model nor a source table.");
        if (task.Key.StartsWith("test__", StringComparison.Ordinal))
        {
            return File(Relative(model.FilePath), $"the data tests of {model.Name}", DataTestStatements.Of(model, printer));
        }

        if (task.Key.StartsWith("maintenance__", StringComparison.Ordinal))
        {
            return File(Relative(model.FilePath), $"the maintenance of {model.Name}", ModelStatements.Maintenance(model));
        }

        // An override replaces the SELECT alone: the header names both files.
        var select = ModelOverride.Read(model);
        var from = select is null ? Relative(model.FilePath) : $"{Relative(ModelOverride.PathOf(model))} (the SELECT) and {Relative(model.FilePath)}";
        return File(from, model.Name.ToString(), ModelStatements.Of(model, printer, shape, select));
    }

    private static string File(string from, string what, IReadOnlyList<string> statements) =>
        $"-- {what}, written by `alquimia deploy databricks` from {from}.\n-- Change that file and deploy again, not this one.\n\n"
        + string.Join(";\n\n", statements) + ";\n";

    private string Relative(string path) => Path.GetRelativePath(project.Directory, path).Replace('\\', '/');
}
