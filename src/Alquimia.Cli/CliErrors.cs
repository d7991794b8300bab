using System.Data.Common;

namespace Alquimia.Cli;

/// <summary>Turns the errors users can act on into one line on stderr and an exit code, instead of a stack trace.</summary>
internal static class CliErrors
{
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (error is AlquimiaException or DbException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.Failed;
        }
    }
}
