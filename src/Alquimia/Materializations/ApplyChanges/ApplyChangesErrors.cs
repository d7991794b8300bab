using Alquimia.Projects;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>The errors an apply_changes build finds in its settings or its feed, placed in the model's file.</summary>
internal static class ApplyChangesErrors
{
    /// <summary>An error of the model's settings, found when its query is bound: it points at <c>materialized: apply_changes</c>.</summary>
    public static AlquimiaException Config(ModelDefinition model, ApplyChangesSettings settings, string problem) =>
        new($"{Location(model)}:{settings.Line}: apply_changes model '{model.Name}': {problem}");

    /// <summary>An error of the feed's rows: the build applies nothing of the batch.</summary>
    public static AlquimiaException Feed(ModelDefinition model, string problem) =>
        new($"{Location(model)}: apply_changes model '{model.Name}': {problem}");

    /// <summary>
    /// The model's file from its <c>models/</c> folder on, as the user finds it in the project (the build does not know
    /// the project's folder); the whole path when it is not under one.
    /// </summary>
    private static string Location(ModelDefinition model)
    {
        var path = model.FilePath.Replace('\\', '/');
        var start = path.LastIndexOf($"/models/{model.Layer}/", StringComparison.OrdinalIgnoreCase);
        return start < 0 ? path : path[(start + 1)..];
    }
}
