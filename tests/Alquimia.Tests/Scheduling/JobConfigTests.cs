using Alquimia.Scheduling;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Scheduling;

/// <summary>The <c>jobs</c> of alquimia.yml: read with their defaults, and refused with the line and the fix.</summary>
public sealed class JobConfigTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public JobConfigTests()
    {
        _folder.Write("sources/crm.yml", "name: crm\nformat: csv\ntables:\n  - name: actions\n");
        _folder.Write("models/gold/crm_metrics_daily.sql", "SELECT count(*) AS n FROM bronze.actions\n");
    }

    [Fact]
    public void AJob_IsReadWithItsZone_OrTheProjects()
    {
        _folder.Write("alquimia.yml", """
            name: crm
            timezone: America/Sao_Paulo
            jobs:
              - name: diario
                select: +gold.crm_metrics_daily
                schedule: "0 6 * * *"
                timeout: 30m
                retries: 2
                retry_backoff: 5m
                catch_up: all
              - name: radar
                schedule: "0 0 2 * * ?"
                timezone: UTC
            """);

        var jobs = _folder.Load().Jobs;

        Assert.Equal(["diario", "radar"], jobs.Select(job => job.Name));
        var diario = jobs[0];
        Assert.Equal("America/Sao_Paulo", diario.TimeZone.Id);
        Assert.Equal(("+gold.crm_metrics_daily", TimeSpan.FromMinutes(30), 2, TimeSpan.FromMinutes(5), CatchUpPolicy.All), (diario.Selector, diario.Timeout, diario.Retries, diario.RetryBackoff, diario.CatchUp));
        Assert.Equal(new DateOnly(2026, 12, 7), diario.RunDateOf(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)));
        Assert.Equal(("UTC", CatchUpPolicy.Latest, (string?)null), (jobs[1].TimeZone.Id, jobs[1].CatchUp, jobs[1].Selector));
    }

    [Fact]
    public void ABrokenJob_IsRefused_NamingTheLineAndTheFix()
    {
        _folder.Write("alquimia.yml", """
            name: crm
            jobs:
              - name: diario
                schedule: "0 6 * *"
              - name: semanal
                schedule: "0 6 * * 1"
                timezone: Brasilia
              - name: mensal
                schedule: "0 6 1 * *"
                select: gold.crm_metrics_dayly
                catch_up: sometimes
            """);

        var problems = _folder.Problems().Select(problem => $"{problem.Line}: {problem.Message}").ToList();

        Assert.Contains(problems, problem => problem.StartsWith("4: The schedule '0 6 * *' of job 'diario' is not a cron expression: it has 4 fields", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("7: 'timezone: Brasilia' in job 'semanal' of alquimia.yml is not an IANA time zone name", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("11: 'catch_up'", StringComparison.Ordinal) && problem.Contains("latest", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);

        _folder.Write("alquimia.yml", "name: crm\njobs:\n  - name: mensal\n    schedule: \"0 6 1 * *\"\n    select: gold.crm_metrics_dayly\n");
        var selection = _folder.Problems().Single();
        Assert.Equal(3, selection.Line);
        Assert.StartsWith("The selection 'gold.crm_metrics_dayly' of job 'mensal' selects nothing:", selection.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
