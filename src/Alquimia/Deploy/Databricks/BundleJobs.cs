using Alquimia.Graph;
using Alquimia.Projects;
using Alquimia.Scheduling;

namespace Alquimia.Deploy.Databricks;

/// <summary>A task of a bundle's job: one step of the pipeline (a model, or a source table's landing into bronze), run as a SQL file.</summary>
/// <param name="Key">Its task_key: <c>layer__name</c>.</param>
/// <param name="SqlFile">The SQL file it runs, relative to the bundle's folder (<c>src/gold/dm_cliente.sql</c>).</param>
/// <param name="DependsOn">The keys of the tasks it waits for: the steps it reads, as the graph says.</param>
public sealed record BundleTask(string Key, QualifiedName Step, string SqlFile, IReadOnlyList<string> DependsOn)
{
    /// <summary>
    /// The key of the Lakeflow pipeline the task updates (<c>resources/&lt;key&gt;.pipeline.yml</c>, whose source is
    /// <see cref="SqlFile"/>), for an apply_changes model; null for a SQL task.
    /// </summary>
    public string? Pipeline { get; init; }

    /// <summary>Databricks' <c>run_if</c>; null for its default, every dependency succeeded.</summary>
    public string? RunIf { get; init; }
}

/// <summary>
/// A job of the bundle: a project job (or the one daily job of a project without jobs) with its steps as tasks, its
/// schedule in Quartz, and its retries, timeout, e-mails and duration rule taken from alquimia.yml.
/// </summary>
public sealed record BundleJob(string Name, string QuartzCron, string TimeZoneId, IReadOnlyList<BundleTask> Tasks)
{
    public int MaxRetries { get; init; }

    public TimeSpan RetryBackoff { get; init; }

    public TimeSpan Timeout { get; init; }

    /// <summary>The addresses of the e-mail channels its <c>run_failed</c> rules notify.</summary>
    public IReadOnlyList<string> EmailOnFailure { get; init; } = [];

    /// <summary>The shortest <c>run_duration</c> rule over it: Databricks' RUN_DURATION_SECONDS health rule; null when none.</summary>
    public TimeSpan? DurationWarning { get; init; }

    /// <summary>The addresses of the e-mail channels its <c>run_duration</c> rules notify.</summary>
    public IReadOnlyList<string> EmailOnDurationWarning { get; init; } = [];
}

/// <summary>The jobs of a project's bundle, read from its jobs, graph and alerts.</summary>
public static class BundleJobs
{
    /// <summary>A project without jobs runs daily at midnight in its time zone, as one job named after it.</summary>
    public const string DailyCron = "0 0 * * *";

    /// <summary>The project's jobs as the bundle declares them.</summary>
    /// <exception cref="AlquimiaException">A job's schedule has no Quartz equivalent.</exception>
    public static IReadOnlyList<BundleJob> Of(Project project)
    {
        var graph = new PipelineGraph(project);
        var jobs = project.Jobs.Count > 0
            ? project.Jobs
            : [new JobDefinition(project.Name + "_daily", 0, CronSchedule.TryParse(DailyCron, out _)!, project.Settings.TimeZone)];
        return [.. jobs.Select(job => Job(project, graph.Select(job.Selector), job))];
    }

    /// <summary>The task a reader of <paramref name="node"/> waits for: its tests when it has any, else its own.</summary>
    private static string ReadyKey(PipelineNode node) =>
        node is ModelNode { Model.Config.Tests.Count: > 0 } ? $"test__{TaskKey(node.Name)}" : TaskKey(node.Name);

    /// <summary>The task_key of a step: its layer and name, which the Jobs API takes (letters, digits, '_').</summary>
    public static string TaskKey(QualifiedName step) => $"{step.Schema}__{step.Name}";

    private static BundleJob Job(Project project, PipelineGraph selected, JobDefinition job)
    {
        // In the graph's order, level by level (bronze, then what reads it...), as the job's page lists them. A model's
        // data tests run in a task after it, and what reads the model waits for them: Alquimia publishes a model only
        // once its error tests pass, and on Databricks the tests come after the write, so its readers wait instead.
        var tasks = new List<BundleTask>();
        // A source that lands without loading (bronze: false) has no bronze to load on Databricks either: its sync is
        // Alquimia's, on the machine that reaches the database, and no model reads it.
        var steps = selected.Levels.SelectMany(level => level.OrderBy(item => item.Name.ToString(), StringComparer.Ordinal))
            .Where(node => node is not SourceTableNode { Source.LoadsBronze: false });
        foreach (var node in steps)
        {
            var key = TaskKey(node.Name);
            tasks.Add(new BundleTask(key, node.Name, $"src/{node.Name.Schema}/{node.Name.Name}.sql",
                [.. selected.Dag.Upstream(node).Select(upstream => ReadyKey(upstream)).Order(StringComparer.Ordinal)])
            {
                Pipeline = node is ModelNode { Model.Config.Materialized: MaterializationKind.ApplyChanges } ? key : null,
            });
            if (node is ModelNode { Model: var model })
            {
                if (model.Config.Tests.Count > 0)
                {
                    tasks.Add(new BundleTask($"test__{key}", node.Name, $"src/tests/{node.Name.Schema}/{node.Name.Name}.sql", [key]));
                }

                // Delta keeps every file a delete_insert or a merge replaced until VACUUM, and small files until OPTIMIZE:
                // the maintenance seed 004 runs by hand, after the model's task whatever its outcome.
                if (ModelStatements.NeedsMaintenance(model))
                {
                    tasks.Add(new BundleTask($"maintenance__{key}", node.Name, $"src/maintenance/{node.Name.Schema}/{node.Name.Name}.sql", [ReadyKey(node)]) { RunIf = "ALL_DONE" });
                }
            }
        }

        var rules = project.Alerts.Rules.Where(rule => rule.Watches(job.Name)).ToList();
        var durations = rules.Where(rule => rule.When == AlertCondition.RunDuration && rule.Over is not null).ToList();
        return new BundleJob(job.Name, QuartzCron.From(job.Schedule, job.Name), job.TimeZone.Id, tasks)
        {
            MaxRetries = job.Retries ?? project.Settings.Retries,
            RetryBackoff = job.RetryBackoff ?? project.Settings.RetryBackoff,
            Timeout = job.Timeout ?? project.Settings.ModelTimeout,
            EmailOnFailure = Emails(project, rules.Where(rule => rule.When == AlertCondition.RunFailed)),
            DurationWarning = durations.Count == 0 ? null : durations.Min(rule => rule.Over!.Value),
            EmailOnDurationWarning = Emails(project, durations),
        };
    }

    private static List<string> Emails(Project project, IEnumerable<AlertRule> rules) =>
        [.. rules.SelectMany(rule => rule.Notify)
            .Select(name => project.Alerts.Channels.FirstOrDefault(channel => channel.Name == name))
            .Where(channel => channel?.Kind == AlertChannelKind.Email)
            .SelectMany(channel => channel!.To)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)];
}
