using System.CommandLine;
using Alquimia.Deploy.Databricks;

namespace Alquimia.Cli;

/// <summary><c>alquimia deploy databricks</c>: writes the project's Databricks Asset Bundle and says what to run next.</summary>
internal static class DeployCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var output = new Option<string>("--out", "-o") { Description = "The folder to write the bundle into: a new or empty one, or one this command wrote before (it is replaced).", Required = true };
        var target = new Option<string>("--target", "-t") { Description = "The bundle's default target: dev (the default) or prod.", DefaultValueFactory = _ => "dev" };
        target.AcceptOnlyFromAmong([.. BundleFiles.Targets]);
        var databricks = new Command("databricks", "Write the project as a Databricks Asset Bundle: jobs, tasks and their SQL.") { project, output, target };
        databricks.SetAction(parseResult => CliErrors.Run(() =>
        {
            var written = BundleWriter.Write(CommonOptions.Load(parseResult, project), parseResult.GetRequiredValue(output), parseResult.GetRequiredValue(target));
            Console.Write(Summary(written));
            return ExitCodes.Success;
        }));
        return new Command("deploy", "Deploy the project to another engine.") { databricks };
    }

    /// <summary>What was written, where each source table is read from, and the commands that deploy and run it.</summary>
    private static string Summary(WrittenBundle written)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Wrote the Databricks bundle to {written.Directory} (default target {written.DefaultTarget}):");
        foreach (var job in written.Jobs)
        {
            text.AppendLine($"  job {job.Name}: {job.Tasks.Count} task(s), {job.QuartzCron} ({job.TimeZoneId})");
            foreach (var task in job.Tasks)
            {
                text.AppendLine($"    {task.Key,-48} {task.SqlFile}{(task.DependsOn.Count > 0 ? $"  after {string.Join(", ", task.DependsOn)}" : "")}");
            }
        }

        foreach (var job in written.JobsLeftOut)
        {
            text.AppendLine($"  job {job}: left out: it only syncs sources that land without loading them (bronze: false), which alquimia serve runs on its schedule");
        }

        text.AppendLine($"  {written.Files.Count} file(s): {string.Join(", ", written.Files.Where(file => !file.StartsWith("src/", StringComparison.Ordinal)))} and the tasks' SQL under src/");
        if (written.Sources.Count > 0)
        {
            text.AppendLine("Sources: each task appends its table's new landing files with COPY INTO.");
            foreach (var (bronze, folder, type) in written.Sources)
            {
                text.AppendLine($"  {bronze,-40} reads {folder}/{(type == "files" ? "" : $"  ({type}: Alquimia does not extract it on Databricks; land its files there, see docs/databricks.md)")}");
            }
        }

        text.AppendLine("Next:");
        text.AppendLine($"  cd {written.Directory}");
        text.AppendLine($"  databricks bundle deploy -t {written.DefaultTarget} --var warehouse_id=<id>");
        foreach (var job in written.Jobs)
        {
            text.AppendLine($"  databricks bundle run -t {written.DefaultTarget} {job.Name}");
        }

        return text.ToString();
    }
}
