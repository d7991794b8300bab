using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Orchestration;

/// <summary>What the CLI does for one command: opens the project's warehouse, runs the use case on it, closes it.</summary>
internal static class Runs
{
    public static async Task<RunSummary> RunAsync(
        Project project, RunOptions options, IRunObserver? observer = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        using var warehouse = EmbeddedWarehouse.Open(project);
        return await new PipelineRunner(warehouse, time).RunAsync(project, options, observer, cancellationToken);
    }

    public static SetupReport Setup(Project project)
    {
        using var warehouse = EmbeddedWarehouse.Open(project);
        return ProjectSetup.Run(warehouse, project);
    }

    public static TestRunReport Tests(Project project, string? selector = null)
    {
        using var warehouse = EmbeddedWarehouse.Open(project);
        return ProjectTests.Run(warehouse, project, selector);
    }

    public static ProjectStatus Status(Project project, string? runId = null)
    {
        using var warehouse = EmbeddedWarehouse.Open(project, readOnly: true);
        return ProjectStatus.Read(warehouse, project, runId);
    }

    public static QualityReport Quality(Project project, string? runId = null)
    {
        using var warehouse = EmbeddedWarehouse.Open(project, readOnly: true);
        return QualityReport.Read(warehouse, runId);
    }
}
