using System.CommandLine;
using Alquimia.Operations;

namespace Alquimia.Cli;

/// <summary><c>alquimia cdc setup</c>: the publication and the replication slot of each CDC source, after checking what they need.</summary>
internal static class CdcCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var source = new Option<string?>("--source") { Description = "Set up only this CDC source (default: every source of type postgres_cdc)." };
        var setup = new Command(
            "setup",
            "Check each CDC source's database (wal_level, replica identities, privileges), then create its publication and replication slot. Idempotent.")
        {
            project, source,
        };
        setup.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(() =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            var failed = false;
            foreach (var report in ChangeCapture.Setup(loaded, parseResult.GetValue(source), cancellationToken))
            {
                foreach (var line in report.Lines)
                {
                    Console.WriteLine($"{report.Source}: {line}");
                }

                if (report.Error is { } error)
                {
                    Console.Error.WriteLine(error);
                    failed = true;
                }
            }

            return Task.FromResult(failed ? ExitCodes.Failed : ExitCodes.Success);
        }));
        return new Command("cdc", "Change data capture from PostgreSQL (postgres_cdc sources).") { setup };
    }
}
