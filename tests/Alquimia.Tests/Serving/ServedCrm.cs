using Alquimia.Examples.Crm;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Orchestration;

namespace Alquimia.Tests.Serving;

/// <summary>Seed 004's CRM project as the read API's and the dashboard's tests serve it: 10 days of data, run once.</summary>
internal static class ServedCrm
{
    /// <summary>The run date of the one run: the tenth day generated.</summary>
    public static readonly DateOnly RunDate = new(2026, 11, 10);

    /// <summary>The generator's options: small, so that each test builds it in about a second.</summary>
    public static CrmGeneratorOptions Generator { get; } = new() { Days = 10, VerificationsPerDay = 15 };

    /// <summary>Writes the project in <paramref name="directory"/>/crm, adds <paramref name="alquimiaYml"/> to its alquimia.yml, generates its data and runs it.</summary>
    public static async Task<Project> BuildAsync(string directory, string alquimiaYml = "")
    {
        var folder = Path.Combine(directory, "crm");
        CrmExample.WriteProjectTo(folder);
        File.AppendAllText(Path.Combine(folder, "alquimia.yml"), alquimiaYml);
        var project = ProjectLoader.Load(folder);
        CrmGenerator.Generate(project.LakePath, Generator);
        Assert.True((await Runs.RunAsync(project, new RunOptions { RunDate = RunDate })).Succeeded);
        return project;
    }
}
