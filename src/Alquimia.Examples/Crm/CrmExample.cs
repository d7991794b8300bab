namespace Alquimia.Examples.Crm;

/// <summary>
/// Seed 004's CRM project (examples/crm: alquimia.yml, the crm source and the dashboard's materialized tables),
/// embedded so the CLI can write it into any folder. Its landing data comes from <see cref="CrmGenerator"/>.
/// </summary>
public static class CrmExample
{
    private static readonly EmbeddedProject Project = new("crm");

    /// <summary>The project's files, as paths relative to the project folder with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Files { get; } = Project.Files;

    /// <summary>Writes the project's files under <paramref name="directory"/>; a file that exists is kept unless <paramref name="overwrite"/>.</summary>
    public static IReadOnlyList<string> WriteProjectTo(string directory, bool overwrite = false) => Project.WriteTo(directory, overwrite);

    /// <summary>The text of one of the project's <see cref="Files"/>, e.g. <c>models/gold/crm_metrics_daily.sql</c>.</summary>
    public static string ReadFile(string relativePath) => Project.Read(relativePath);
}
