using System.Data.Common;
using Alquimia.Deploy.Databricks;
using Alquimia.Graph;
using Alquimia.Projects;

namespace Alquimia.Cli;

/// <summary>Turns the errors users can act on into lines on stderr and an exit code, instead of a stack trace.</summary>
internal static class CliErrors
{
    public static int Run(Func<int> action) => RunAsync(() => Task.FromResult(action())).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception error) when (error is ProjectLoadException or SelectorException or GraphCycleException or BundleNotWrittenException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.Invalid;
        }
        catch (Exception error) when (error is AlquimiaException or DbException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.Failed;
        }
    }
}
