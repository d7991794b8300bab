using System.CommandLine;
using Alquimia.Projects;

namespace Alquimia.Cli;

/// <summary><c>alquimia init &lt;dir&gt;</c>: writes a small working project.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "The folder to create the project in." };
        var command = new Command("init", "Create a small working project: a CSV source with one landed file, a silver model, a gold fact and a view.") { directory };
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            var target = parseResult.GetRequiredValue(directory);
            foreach (var file in StarterProject.WriteTo(target))
            {
                Console.WriteLine($"  created {Path.Combine(target, file)}");
            }

            Console.WriteLine($"Next: alquimia run --project {target}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
