using Alquimia.Scheduling;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>Reads the <c>jobs</c> of alquimia.yml (docs/running.md, "Jobs").</summary>
internal static class JobsReader
{
    private static readonly string[] Keys = ["name", "select", "schedule", "timezone", "timeout", "retries", "retry_backoff", "catch_up"];

    private static readonly IReadOnlyDictionary<string, CatchUpPolicy> Policies = new Dictionary<string, CatchUpPolicy>(StringComparer.Ordinal)
    {
        ["latest"] = CatchUpPolicy.Latest,
        ["all"] = CatchUpPolicy.All,
        ["none"] = CatchUpPolicy.None,
    };

    /// <summary>The jobs, each checked; a job too broken to name is left out (its problems are recorded).</summary>
    public static List<JobDefinition> Read(YamlSection project, TimeZoneInfo projectZone)
    {
        var jobs = new List<JobDefinition>();
        if (project.Sequence("jobs") is not { } sequence)
        {
            return jobs;
        }

        foreach (var item in sequence.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                project.Problem(project.LineOf(item), $"Each entry of 'jobs' in {project.Description} should be a mapping with 'name' and 'schedule', not a {YamlSection.KindOf(item)}.");
                continue;
            }

            var yaml = project.Child(mapping, $"a job of {project.Description}");
            if (ReadJob(yaml, projectZone) is not { } job)
            {
                continue;
            }

            if (jobs.Any(other => string.Equals(other.Name, job.Name, StringComparison.OrdinalIgnoreCase)))
            {
                yaml.Problem(job.Line, $"Job '{job.Name}' is declared twice in {project.Description}. Give each job its own name.");
                continue;
            }

            jobs.Add(job);
        }

        return jobs;
    }

    private static JobDefinition? ReadJob(YamlSection yaml, TimeZoneInfo projectZone)
    {
        yaml.CheckKeys(Keys);
        var name = yaml.String("name", "the job's name, e.g. name: diario.");
        var text = yaml.String("schedule", "a cron expression, e.g. schedule: \"0 6 * * *\" (every day at 06:00).");
        var job = name is null ? yaml.Description : $"job '{name}'";
        CronSchedule? schedule = null;
        if (text is not null)
        {
            schedule = CronSchedule.TryParse(text, out var error);
            if (schedule is null)
            {
                yaml.Problem(yaml.LineOfKey("schedule"), $"The schedule '{text}' of {job} is not a cron expression: {error}.");
            }
        }

        var zone = ProjectFileReader.TimeZone(yaml, $"{job} of {ProjectFileReader.FileName}") ?? projectZone;
        var timeout = yaml.Duration("timeout");
        var retries = yaml.Int("retries", minimum: 0);
        var backoff = yaml.Duration("retry_backoff");
        var catchUp = yaml.Choice("catch_up", Policies) ?? CatchUpPolicy.Latest;
        var select = yaml.String("select");
        return name is null || schedule is null ? null : new JobDefinition(name, yaml.LineOfKey("name"), schedule, zone)
        {
            Selector = select,
            Timeout = timeout,
            Retries = retries,
            RetryBackoff = backoff,
            CatchUp = catchUp,
        };
    }
}
