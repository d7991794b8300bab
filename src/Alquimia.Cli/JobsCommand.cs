using System.CommandLine;
using System.Globalization;
using Alquimia.Cli.Rendering;
using Alquimia.Scheduling;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary><c>alquimia jobs</c>: the jobs of alquimia.yml and their next slots, in each job's time zone.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var next = new Option<int>("--next") { Description = "How many of each job's next slots to show (default 3).", DefaultValueFactory = _ => 3 };
        var command = new Command("jobs", "List the jobs of alquimia.yml: schedule, time zone, selection, and their next slots with run dates.") { project, next };
        foreach (var action in JobActionCommands.Create())
        {
            command.Subcommands.Add(action);
        }

        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            if (loaded.Jobs.Count == 0)
            {
                Terminal.Write(new Markup("No jobs: alquimia.yml has no [bold]jobs:[/] (docs/running.md, \"Jobs\").\n"));
                return ExitCodes.Success;
            }

            var count = Math.Max(parseResult.GetValue(next), 0);
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("job").AddColumn("schedule").AddColumn("time zone").AddColumn("selects").AddColumn("catch_up").AddColumn("next slots (run date)");
            var now = TimeProvider.System.GetUtcNow();
            foreach (var job in loaded.Jobs)
            {
                var slots = new List<string>();
                var after = now;
                while (slots.Count < count && job.Schedule.Next(after, job.TimeZone) is { } at)
                {
                    var local = TimeZoneInfo.ConvertTime(at, job.TimeZone);
                    slots.Add(string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm:ss zzz} ({job.RunDateOf(at):yyyy-MM-dd})"));
                    after = at;
                }

                table.AddRow(
                    Markup.Escape(job.Name), Markup.Escape(job.Schedule.Text), Markup.Escape(job.TimeZone.Id), Markup.Escape(job.Selector ?? "everything"),
                    job.CatchUp.ToString().ToLowerInvariant(), Markup.Escape(slots.Count == 0 ? "none left" : string.Join("\n", slots)));
            }

            Terminal.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
