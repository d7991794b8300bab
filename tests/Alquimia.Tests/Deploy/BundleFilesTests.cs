using Alquimia.Deploy.Databricks;
using Alquimia.Examples.Crm;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// The YAML of the bundles of the V-Credit and CRM projects: valid against the bundle's documented keys, with each
/// job's schedule, retries, timeout, e-mails and duration rule taken from alquimia.yml, and a task per step that waits
/// for the steps it reads.
/// </summary>
public sealed class BundleFilesTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheCrmBundle_IsValid_AndCarriesTheSeedsJob()
    {
        var project = Crm(withAlerts: true);
        var job = BundleJobs.Of(project).Single();

        var bundle = BundleFiles.BundleFile(project);
        var jobFile = BundleFiles.JobFile(project, job);

        Assert.Empty(BundleSchema.Errors(bundle));
        Assert.Empty(BundleSchema.Errors(jobFile));
        var settings = Mapping(jobFile, "resources", "jobs", "crm_diario");
        Assert.Equal(("0 0 6 * * ?", "America/Sao_Paulo"), (Text(settings, "schedule", "quartz_cron_expression"), Text(settings, "schedule", "timezone_id")));
        Assert.Equal(["dados@empresa.com"], Sequence(settings, "email_notifications", "on_failure"));
        Assert.Equal(["dados@empresa.com"], Sequence(settings, "email_notifications", "on_duration_warning_threshold_exceeded"));
        var rule = (YamlMappingNode)((YamlSequenceNode)Mapping(settings, "health")["rules"]).Children.Single();
        Assert.Equal(("RUN_DURATION_SECONDS", "GREATER_THAN", "900"), (Text(rule, "metric"), Text(rule, "op"), Text(rule, "value")));
        var tasks = ((YamlSequenceNode)settings["tasks"]).Children.Cast<YamlMappingNode>().ToDictionary(task => Text(task, "task_key"));
        Assert.Equal(
            // Level by level: verification_question's silver reads verification's, so it comes a level later.
            ["bronze__action", "bronze__verification", "bronze__verification_question", "silver__action", "silver__verification",
             "gold__crm_action_priorities_daily", "gold__crm_actions_open_snapshot", "silver__verification_question", "gold__crm_metrics_daily"],
            tasks.Keys.Where(key => !key.StartsWith("test__", StringComparison.Ordinal) && !key.StartsWith("maintenance__", StringComparison.Ordinal)));
        var metrics = tasks["gold__crm_metrics_daily"];
        // Its tests run after it, and its maintenance after them whatever they say; the silver it reads has no tests.
        Assert.Equal(["gold__crm_metrics_daily"], DependsOn(tasks["test__gold__crm_metrics_daily"]));
        Assert.Equal("../src/tests/gold/crm_metrics_daily.sql", Text(tasks["test__gold__crm_metrics_daily"], "sql_task", "file", "path"));
        Assert.Equal(["test__gold__crm_metrics_daily"], DependsOn(tasks["maintenance__gold__crm_metrics_daily"]));
        Assert.Equal("ALL_DONE", Text(tasks["maintenance__gold__crm_metrics_daily"], "run_if"));
        Assert.Equal(["silver__action"], DependsOn(tasks["maintenance__silver__action"]));
        Assert.Equal(["silver__verification", "silver__verification_question"], DependsOn(metrics));
        Assert.Equal(("2", "300000", "1800"), (Text(metrics, "max_retries"), Text(metrics, "min_retry_interval_millis"), Text(metrics, "timeout_seconds")));
        Assert.Equal("../src/gold/crm_metrics_daily.sql", Text(metrics, "sql_task", "file", "path"));
        Assert.Empty(DependsOn(tasks["bronze__verification"]));
    }

    [Fact]
    public void TheVCreditBundle_IsValid_WithATaskPerStep_InTheGraphsOrder()
    {
        var folder = Path.Combine(_directory.Path, "vcredit");
        VCreditExample.WriteProjectTo(folder);
        var project = ProjectLoader.Load(folder);
        var job = BundleJobs.Of(project).Single();

        var jobFile = BundleFiles.JobFile(project, job);

        Assert.Empty(BundleSchema.Errors(BundleFiles.BundleFile(project)));
        Assert.Empty(BundleSchema.Errors(jobFile));
        var settings = Mapping(jobFile, "resources", "jobs", "vcredit_diario");
        Assert.Equal("0 0 2 * * ?", Text(settings, "schedule", "quartz_cron_expression"));
        var tasks = ((YamlSequenceNode)settings["tasks"]).Children.Cast<YamlMappingNode>().ToList();
        var withTests = project.Models.Count(model => model.Config.Tests.Count > 0);
        var maintained = project.Models.Count(model => model.Config.Materialized is MaterializationKind.DeleteInsert or MaterializationKind.Incremental or MaterializationKind.Snapshot);
        Assert.Equal(project.Models.Count + project.SourceTables.Count() + withTests + maintained, tasks.Count);
        // Every dependency is a task of the job, and every model waits for exactly the steps its SQL reads (for their
        // tests, when they have some).
        var keys = tasks.Select(task => Text(task, "task_key")).ToHashSet();
        Assert.All(tasks.SelectMany(DependsOn), key => Assert.Contains(key, keys));
        var fact = tasks.Single(task => Text(task, "task_key") == "gold__ft_custo_operacional");
        Assert.Equal(
            project.FindModel(new QualifiedName("gold", "ft_custo_operacional"))!.References
                .Select(name => (project.FindModel(name)?.Config.Tests.Count > 0 ? "test__" : "") + BundleJobs.TaskKey(name)).Order(StringComparer.Ordinal),
            DependsOn(fact));
    }

    [Fact]
    public void AProjectWithoutJobs_GetsOneDailyJob()
    {
        var project = Crm(withAlerts: false) is var crm ? crm with { Jobs = [] } : null!;

        var job = BundleJobs.Of(project).Single();

        Assert.Equal(("crm_daily", "0 0 0 * * ?", "America/Sao_Paulo"), (job.Name, job.QuartzCron, job.TimeZoneId));
        Assert.Empty(BundleSchema.Errors(BundleFiles.JobFile(project, job)));
    }

    /// <summary>The schema check itself can fail: keys Databricks does not take, where they are written, are found.</summary>
    [Theory]
    [InlineData("      max_retries: 2\n", "/resources/jobs/crm_diario")]
    [InlineData("      schedule: {quartz_cron_expression: \"0 0 6 * * ?\"}\n", "/resources/jobs/crm_diario/schedule")]
    [InlineData("      health: {rules: [{metric: RUN_DURATION_SECONDS, op: LESS_THAN, value: 900}]}\n", "/resources/jobs/crm_diario/health/rules/0/op")]
    public void TheSchemaCheck_FindsWhatDatabricksRefuses(string wrong, string place)
    {
        var yaml = $"resources:\n  jobs:\n    crm_diario:\n      name: crm_diario\n{wrong}      tasks:\n        - task_key: a\n          sql_task: {{warehouse_id: x, file: {{path: a.sql}}}}\n";

        Assert.Contains(BundleSchema.Errors(yaml), error => error.StartsWith(place, StringComparison.Ordinal));
    }

    private Project Crm(bool withAlerts)
    {
        var folder = Path.Combine(_directory.Path, "crm");
        CrmExample.WriteProjectTo(folder, overwrite: true);
        if (withAlerts)
        {
            Examples.CommentedAlerts.Uncomment(folder);
        }

        return ProjectLoader.Load(folder);
    }

    private static YamlMappingNode Mapping(string yaml, params string[] path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Mapping((YamlMappingNode)stream.Documents[0].RootNode, path);
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => (YamlMappingNode)current[key]);

    private static string Text(YamlMappingNode node, params string[] path) =>
        ((YamlScalarNode)Mapping(node, path[..^1])[path[^1]]).Value!;

    private static List<string> Sequence(YamlMappingNode node, params string[] path) =>
        [.. ((YamlSequenceNode)Mapping(node, path[..^1])[path[^1]]).Children.Cast<YamlScalarNode>().Select(item => item.Value!)];

    private static List<string> DependsOn(YamlMappingNode task) => task.Children.TryGetValue("depends_on", out var list)
        ? [.. ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>().Select(item => Text(item, "task_key"))]
        : [];
}
