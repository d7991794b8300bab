using Alquimia.Examples.Crm;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Orchestration;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Examples;

/// <summary>
/// Seed 004's CRM project on generated data: the dashboard's tables equal the same figures computed straight from the
/// landing files, the priorities add up to the open actions, and the generator gives the same day however it is asked.
/// </summary>
public sealed class CrmPipelineTests : IDisposable
{
    private static readonly CrmGeneratorOptions Small = new() { Days = 10, VerificationsPerDay = 25 };

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Files_HoldTheProjectTheSourceAndTheThreeTablesOfTheDashboard()
    {
        Assert.Equal(
            [
                "alquimia.yml", "models/gold/crm_action_priorities_daily.sql", "models/gold/crm_actions_open_snapshot.sql", "models/gold/crm_metrics_daily.sql",
                "models/silver/action.sql", "models/silver/verification.sql", "models/silver/verification_question.sql", "sources/crm.yml",
            ],
            CrmExample.Files);
    }

    [Fact]
    public void TheSeedsJob_AndItsCommentedAlerts_AreTheProjects()
    {
        var folder = Path.Combine(_directory.Path, "crm");
        CrmExample.WriteProjectTo(folder);
        CommentedAlerts.Uncomment(folder);

        var project = ProjectLoader.Load(folder);

        var job = project.Jobs.Single();
        Assert.Equal(("crm_diario", "0 6 * * *", "America/Sao_Paulo"), (job.Name, job.Schedule.Text, job.TimeZone.Id));
        Assert.Equal((TimeSpan.FromMinutes(30), 2, TimeSpan.FromMinutes(5)), (job.Timeout, job.Retries, job.RetryBackoff));
        Assert.Equal(
            [(AlertCondition.RunFailed, (TimeSpan?)null), (AlertCondition.RunDuration, TimeSpan.FromMinutes(15)), (AlertCondition.TableStale, TimeSpan.FromDays(2))],
            project.Alerts.Rules.Select(rule => (rule.When, rule.Over)));
    }

    [Fact]
    public void ANextDay_IsTheDayAWholeGenerationWrites()
    {
        var whole = Path.Combine(_directory.Path, "whole");
        var stepwise = Path.Combine(_directory.Path, "stepwise");
        CrmGenerator.Generate(whole, Small);
        CrmGenerator.Generate(stepwise, Small with { Days = 9 });

        var added = CrmGenerator.GenerateNextDay(stepwise, Small);

        Assert.Equal(new DateOnly(2026, 11, 10), added);
        using var connection = new CheckedConnection();
        connection.Open();
        foreach (var table in CrmGenerator.Tables)
        {
            var day = $"landing/crm/{table}/ingestion_date=2026-11-10/*.parquet";
            var a = SqlText.Literal(Path.Combine(whole, day));
            var b = SqlText.Literal(Path.Combine(stepwise, day));
            Assert.Equal(["0|0"], WarehouseRows.Of(connection,
                $"SELECT (SELECT count(*) FROM (FROM read_parquet({a}) EXCEPT ALL FROM read_parquet({b}))), (SELECT count(*) FROM (FROM read_parquet({b}) EXCEPT ALL FROM read_parquet({a})))"));
            Assert.NotEqual(["0"], WarehouseRows.Of(connection, $"SELECT count(*) FROM read_parquet({a})"));
        }
    }

    [Fact]
    public async Task TheDashboardsTables_EqualTheFiguresComputedFromTheLandingFiles()
    {
        var project = WriteProject();
        var runDate = new DateOnly(2026, 11, 10);

        var summary = await Runs.RunAsync(project, new RunOptions { RunDate = runDate });

        Assert.True(summary.Succeeded, string.Join("\n", summary.Steps.Select(step => $"{step.Model}: {step.Status} {step.Error}")));
        Assert.All(summary.Steps, step => Assert.Null(step.Warning));
        var landing = SqlText.Literal(Path.Combine(project.LakePath, "landing", "crm"));
        // The answers without conformity are quarantined by silver, so the figures leave them out too.
        var expected = WarehouseRows.Of(project.WarehousePath, $"""
            WITH v AS (SELECT * FROM read_parquet({landing} || '/verification/*/*.parquet')),
                 q AS (SELECT * FROM read_parquet({landing} || '/verification_question/*/*.parquet') WHERE is_conform IS NOT NULL)
            SELECT CAST(v.verification_date AS DATE), v.organization_id, v.location_id,
                   count(DISTINCT v.id_verification), count(DISTINCT v.id_verification) FILTER (WHERE NOT q.is_conform),
                   count(*) FILTER (WHERE q.is_critical), count(*) FILTER (WHERE q.is_critical AND NOT q.is_conform),
                   count(q.id_question), count(*) FILTER (WHERE NOT q.is_conform)
            FROM v LEFT JOIN q USING (id_verification)
            WHERE CAST(v.verification_date AS DATE) BETWEEN DATE '2026-11-04' AND DATE '2026-11-10'
            GROUP BY ALL ORDER BY ALL
            """);
        var metrics = WarehouseRows.Of(project.WarehousePath, "SELECT * FROM gold.crm_metrics_daily ORDER BY ALL");
        Assert.Equal(expected, metrics);

        // Open on the run date: opened by then and not closed by then, from the actions' latest versions.
        var open = WarehouseRows.Of(project.WarehousePath, $"""
            SELECT organization_id, count(*) FROM (
                FROM read_parquet({landing} || '/action/*/*.parquet')
                QUALIFY row_number() OVER (PARTITION BY id_action ORDER BY updated_at DESC) = 1)
            WHERE CAST(opened_at AS DATE) <= DATE '2026-11-10' AND (closed_at IS NULL OR CAST(closed_at AS DATE) > DATE '2026-11-10')
            GROUP BY ALL ORDER BY ALL
            """);
        Assert.Equal(open, WarehouseRows.Of(project.WarehousePath, "SELECT organization_id, count(*) FROM gold.crm_actions_open_snapshot GROUP BY ALL ORDER BY ALL"));
        Assert.Equal(open, WarehouseRows.Of(project.WarehousePath, "SELECT organization_id, total_abertas FROM gold.crm_action_priorities_daily ORDER BY ALL"));
        // The weeks count from the run date (a Tuesday): S=0 runs to Sunday the 15th, S=1 is the 16th to the 22nd, S=4 ends on the 13th of December.
        Assert.Equal(
            WarehouseRows.Of(project.WarehousePath, """
                SELECT organization_id, count(*) FILTER (WHERE due_date < DATE '2026-11-10'), count(*) FILTER (WHERE due_date BETWEEN DATE '2026-11-10' AND DATE '2026-11-15'),
                       count(*) FILTER (WHERE due_date BETWEEN DATE '2026-11-16' AND DATE '2026-11-22'), count(*) FILTER (WHERE due_date > DATE '2026-12-13')
                FROM gold.crm_actions_open_snapshot GROUP BY ALL ORDER BY ALL
                """),
            WarehouseRows.Of(project.WarehousePath, "SELECT organization_id, vencidas, s_0, s_1, posterior_s4 FROM gold.crm_action_priorities_daily ORDER BY ALL"));
    }

    [Fact]
    public async Task EachDaysRun_KeepsTheEarlierDays_AndDropsWhatIsOlderThan90Days()
    {
        var project = WriteProject();

        await Runs.RunAsync(project, new RunOptions { RunDate = new DateOnly(2026, 11, 9) });
        await Runs.RunAsync(project, new RunOptions { RunDate = new DateOnly(2026, 11, 10) });
        var twoDays = WarehouseRows.Of(project.WarehousePath, "SELECT CAST(data_snapshot AS VARCHAR), count(*) > 0 FROM gold.crm_actions_open_snapshot GROUP BY ALL ORDER BY ALL");
        var late = await Runs.RunAsync(project, new RunOptions { RunDate = new DateOnly(2027, 2, 8) });

        Assert.Equal(["2026-11-09|True", "2026-11-10|True"], twoDays);
        Assert.True(late.Succeeded);
        // 2027-02-08 minus 90 days is 2026-11-10: the 9th goes, the 10th stays.
        Assert.Equal(["2026-11-10", "2027-02-08"],
            WarehouseRows.Of(project.WarehousePath, "SELECT DISTINCT CAST(data_snapshot AS VARCHAR) FROM gold.crm_actions_open_snapshot ORDER BY 1"));
        Assert.Equal(["2026-11-10"],
            WarehouseRows.Of(project.WarehousePath, "SELECT DISTINCT CAST(data_referencia AS VARCHAR) FROM gold.crm_metrics_daily ORDER BY 1"));
    }

    private Project WriteProject()
    {
        var folder = Path.Combine(_directory.Path, "crm");
        CrmExample.WriteProjectTo(folder);
        var project = ProjectLoader.Load(folder);
        CrmGenerator.Generate(project.LakePath, Small);
        return project;
    }
}
