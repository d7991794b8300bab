using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Bench;

/// <summary>A run as one `alquimia run` makes it: the warehouse opened for it, the run, the warehouse closed.</summary>
internal static class CliRun
{
    public static RunSummary Run(Project project, RunOptions options)
    {
        using var warehouse = EmbeddedWarehouse.Open(project);
        return new PipelineRunner(warehouse).RunAsync(project, options).GetAwaiter().GetResult();
    }
}
