using Alquimia.Projects;
using YamlDotNet.Serialization;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// The YAML of a Databricks Asset Bundle for a project: <c>databricks.yml</c> (the bundle, its variables and its dev
/// and prod targets) and one <c>resources/&lt;job&gt;.job.yml</c> per job, in the shape <c>databricks bundle schema</c>
/// describes. Keys are written in the order a Databricks engineer reads them; every value comes from alquimia.yml.
/// </summary>
public static class BundleFiles
{
    private static readonly ISerializer Yaml = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .DisableAliases()
        .Build();

    private static readonly string[] Includes = ["resources/*.yml"];

    /// <summary>The targets of <c>databricks.yml</c>; <c>dev</c> is the default one unless the deploy says otherwise.</summary>
    public static readonly IReadOnlyList<string> Targets = ["dev", "prod"];

    /// <summary>
    /// <c>databricks.yml</c>: the catalog, the warehouse and the landing folder are variables, the catalog and the landing
    /// folder set per target; <paramref name="defaultTarget"/> is the target <c>databricks bundle</c> uses without <c>-t</c>.
    /// </summary>
    public static string BundleFile(Project project, string defaultTarget = "dev") => Header(project) + Yaml.Serialize(new Dictionary<string, object?>
    {
        ["bundle"] = new Dictionary<string, object?> { ["name"] = project.Name },
        ["include"] = Includes,
        ["variables"] = new Dictionary<string, object?>
        {
            ["catalog"] = new Dictionary<string, object?> { ["description"] = "The Unity Catalog catalog the layers' schemas live in (bronze, silver, gold, curated)." },
            ["warehouse_id"] = new Dictionary<string, object?> { ["description"] = "The serverless or pro SQL warehouse the SQL tasks run on: --var warehouse_id=<id>." },
            ["landing_path"] = new Dictionary<string, object?> { ["description"] = "The folder the source tables' landing files are in, as <landing_path>/<source>/<table>/ (a Unity Catalog volume or a cloud path)." },
        },
        ["targets"] = new Dictionary<string, object?>
        {
            ["dev"] = new Dictionary<string, object?>
            {
                ["mode"] = "development",
                ["default"] = defaultTarget == "dev",
                ["variables"] = new Dictionary<string, object?> { ["catalog"] = project.Name + "_dev", ["landing_path"] = $"/Volumes/{project.Name}_dev/landing/files" },
            },
            ["prod"] = new Dictionary<string, object?>
            {
                ["mode"] = "production",
                ["default"] = defaultTarget == "prod",
                ["workspace"] = new Dictionary<string, object?> { ["root_path"] = "/Workspace/Shared/.bundle/${bundle.name}/${bundle.target}" },
                ["variables"] = new Dictionary<string, object?> { ["catalog"] = project.Name, ["landing_path"] = $"/Volumes/{project.Name}/landing/files" },
            },
        },
    });

    /// <summary>
    /// <c>resources/&lt;job&gt;.job.yml</c>. One run at a time, queued, as Alquimia's one writer. Job parameters, which
    /// every SQL task receives: <c>run_date</c>, the slot's date (<c>run_date()</c> of the models); <c>run_started_at</c>
    /// and <c>run_id</c>, the run's start and id (a snapshot's versions, the quarantine's <c>_run_id</c>); <c>catalog</c>,
    /// the target's.
    /// </summary>
    public static string JobFile(Project project, BundleJob job)
    {
        var settings = new Dictionary<string, object?>
        {
            ["name"] = job.Name,
            ["schedule"] = new Dictionary<string, object?>
            {
                ["quartz_cron_expression"] = job.QuartzCron, ["timezone_id"] = job.TimeZoneId, ["pause_status"] = "UNPAUSED",
            },
            ["max_concurrent_runs"] = 1,
            ["queue"] = new Dictionary<string, object?> { ["enabled"] = true },
            ["parameters"] = new[]
            {
                new Dictionary<string, object?> { ["name"] = "run_date", ["default"] = "{{job.trigger.time.iso_date}}" },
                new Dictionary<string, object?> { ["name"] = "run_started_at", ["default"] = "{{job.start_time.iso_datetime}}" },
                new Dictionary<string, object?> { ["name"] = "run_id", ["default"] = "{{job.run_id}}" },
                new Dictionary<string, object?> { ["name"] = "catalog", ["default"] = "${var.catalog}" },
                // The folder the source tables' tasks read their landing files from.
                new Dictionary<string, object?> { ["name"] = "landing_path", ["default"] = "${var.landing_path}" },
            },
        };
        var emails = new Dictionary<string, object?>();
        if (job.EmailOnFailure.Count > 0)
        {
            emails["on_failure"] = job.EmailOnFailure;
        }

        if (job.DurationWarning is { } over)
        {
            settings["health"] = new Dictionary<string, object?>
            {
                ["rules"] = new[] { new Dictionary<string, object?> { ["metric"] = "RUN_DURATION_SECONDS", ["op"] = "GREATER_THAN", ["value"] = (long)over.TotalSeconds } },
            };
            if (job.EmailOnDurationWarning.Count > 0)
            {
                emails["on_duration_warning_threshold_exceeded"] = job.EmailOnDurationWarning;
            }
        }

        if (emails.Count > 0)
        {
            settings["email_notifications"] = emails;
        }

        settings["tasks"] = job.Tasks.Select(task => Task(job, task)).ToList();
        return Header(project) + Yaml.Serialize(new Dictionary<string, object?>
        {
            ["resources"] = new Dictionary<string, object?> { ["jobs"] = new Dictionary<string, object?> { [job.Name] = settings } },
        });
    }

    /// <summary>
    /// <c>resources/&lt;key&gt;.pipeline.yml</c>: the serverless Lakeflow pipeline of an apply_changes model, publishing to
    /// the target's catalog and the model's layer, its source the task's SQL file. A job's task updates it (triggered,
    /// not continuous: the job's schedule decides when).
    /// </summary>
    public static string PipelineFile(Project project, BundleTask task) => Header(project) + Yaml.Serialize(new Dictionary<string, object?>
    {
        ["resources"] = new Dictionary<string, object?>
        {
            ["pipelines"] = new Dictionary<string, object?>
            {
                [task.Pipeline!] = new Dictionary<string, object?>
                {
                    ["name"] = $"{project.Name}_{task.Pipeline}",
                    ["catalog"] = "${var.catalog}",
                    ["schema"] = task.Step.Schema,
                    ["serverless"] = true,
                    ["continuous"] = false,
                    ["libraries"] = new[] { new Dictionary<string, object?> { ["file"] = new Dictionary<string, object?> { ["path"] = "../" + task.SqlFile } } },
                },
            },
        },
    });

    private static Dictionary<string, object?> Task(BundleJob job, BundleTask task)
    {
        var settings = new Dictionary<string, object?> { ["task_key"] = task.Key };
        if (task.DependsOn.Count > 0)
        {
            settings["depends_on"] = task.DependsOn.Select(key => new Dictionary<string, object?> { ["task_key"] = key }).ToList();
        }

        if (task.RunIf is { } runIf)
        {
            settings["run_if"] = runIf;
        }

        // The path is relative to this file, in resources/; the CLI uploads the file with the bundle.
        if (task.Pipeline is { } pipeline)
        {
            settings["pipeline_task"] = new Dictionary<string, object?> { ["pipeline_id"] = $"${{resources.pipelines.{pipeline}.id}}" };
        }
        else
        {
            settings["sql_task"] = new Dictionary<string, object?>
            {
                ["warehouse_id"] = "${var.warehouse_id}",
                ["file"] = new Dictionary<string, object?> { ["path"] = "../" + task.SqlFile },
            };
        }

        if (job.MaxRetries > 0)
        {
            settings["max_retries"] = job.MaxRetries;
            settings["min_retry_interval_millis"] = (long)job.RetryBackoff.TotalMilliseconds;
        }

        settings["timeout_seconds"] = (long)job.Timeout.TotalSeconds;
        return settings;
    }

    private static string Header(Project project) =>
        $"# Written by `alquimia deploy databricks` from the project {project.Name}: change alquimia.yml and deploy again, not this file.\n";
}
