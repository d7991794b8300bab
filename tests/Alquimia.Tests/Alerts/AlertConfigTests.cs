using Alquimia.Projects;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Alerts;

/// <summary>The <c>alerts</c> of alquimia.yml: read with their defaults, and refused with the line and the fix.</summary>
public sealed class AlertConfigTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public AlertConfigTests()
    {
        _folder.Write("sources/crm.yml", "name: crm\nformat: csv\ntables:\n  - name: action\n");
        _folder.Write("models/gold/crm_metrics_daily.sql", "SELECT count(*) AS n FROM bronze.action\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Alerts_AreRead_WithTheirDefaults()
    {
        _folder.Write("alquimia.yml", """
            name: crm
            jobs:
              - name: diario
                schedule: "0 6 * * *"
            alerts:
              repeat_interval: 4h
              channels:
                dados_slack: {type: slack, url_env: SLACK_WEBHOOK_URL}
                email_dados:
                  type: email
                  host: smtp.empresa.com
                  username_env: SMTP_USER
                  password_env: SMTP_PASSWORD
                  from: alquimia@empresa.com
                  to: dados@empresa.com
              rules:
                - name: pipeline_falhou
                  when: run_failed
                  jobs: diario
                  notify: [dados_slack, email_dados]
                - name: desatualizada
                  when: table_stale
                  over: 2d
                  tables: [gold.crm_metrics_daily, bronze.action]
                  repeat_interval: 1d
                  send_resolved: false
                  notify: email_dados
                - name: invalidos
                  when: invalid_ratio
                  over: 0.05
                  notify: dados_slack
            """);

        var alerts = _folder.Load().Alerts;

        Assert.Equal(["dados_slack", "email_dados"], alerts.Channels.Select(channel => channel.Name));
        Assert.Equal((AlertChannelKind.Slack, "SLACK_WEBHOOK_URL"), (alerts.Channels[0].Kind, alerts.Channels[0].UrlVariable));
        var email = alerts.Channels[1];
        Assert.Equal(("smtp.empresa.com", 587, SmtpSecurity.StartTls, "SMTP_USER", "SMTP_PASSWORD"), (email.SmtpHost, email.SmtpPort, email.SmtpSecurity, email.UsernameVariable, email.PasswordVariable));
        Assert.Equal(["dados@empresa.com"], email.To);
        var (failed, stale, invalid) = (alerts.Rules[0], alerts.Rules[1], alerts.Rules[2]);
        Assert.Equal((AlertCondition.RunFailed, TimeSpan.FromHours(4), true), (failed.When, failed.RepeatInterval, failed.SendResolved));
        Assert.Equal(["diario"], failed.Jobs);
        Assert.True(failed.Watches("diario"));
        Assert.False(failed.Watches((string?)null));
        Assert.Equal((TimeSpan.FromDays(2), TimeSpan.FromDays(1), false), (stale.Over, stale.RepeatInterval, stale.SendResolved));
        Assert.Equal(["gold.crm_metrics_daily", "bronze.action"], stale.Tables.Select(table => table.ToString()));
        Assert.Equal(0.05, invalid.Ratio);
        Assert.True(invalid.Watches(new QualifiedName("silver", "qualquer")));
    }

    [Fact]
    public void BrokenAlerts_AreRefused_NamingTheLineAndTheFix()
    {
        _folder.Write("alquimia.yml", """
            name: crm
            alerts:
              channels:
                dados_slack: {type: slack, url: https://hooks.slack.com/services/T0/B0/secret}
                plantao: {type: pager}
              rules:
                - name: pipeline_falhou
                  when: run_faild
                  notify: dados_slak
                - name: desatualizada
                  when: table_stale
                  notify: plantao
                - name: falhou
                  when: run_failed
                  over: 30m
                  tables: gold.crm_metrics_daily
            """);

        var problems = _folder.Problems().Select(problem => $"{problem.Line}: {problem.Message}").ToList();

        Assert.Contains(problems, problem => problem.StartsWith("4: ", StringComparison.Ordinal) && problem.Contains("'url'", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("4: 'url_env' is missing from alert channel 'dados_slack'", StringComparison.Ordinal) && problem.Contains("a URL is a secret", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("5: 'type'", StringComparison.Ordinal) && problem.Contains("webhook, slack, email", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("8: 'when: run_faild' of alert rule 'pipeline_falhou' is not a condition", StringComparison.Ordinal) && problem.Contains("Did you mean 'run_failed'?", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("9: Alert rule 'pipeline_falhou' notifies 'dados_slak', which alerts.channels does not declare.", StringComparison.Ordinal) && problem.Contains("Did you mean 'dados_slack'?", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("10: Alert rule 'desatualizada' (table_stale) needs 'over'", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("15: 'over' does not apply to alert rule 'falhou' (run_failed)", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("16: 'tables' does not apply to alert rule 'falhou' (run_failed)", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("13: Alert rule 'falhou' needs 'notify'", StringComparison.Ordinal));
        Assert.Equal(9, problems.Count);
    }

    [Fact]
    public void ARuleWatchingATableOrJobThatIsNotTheProjects_IsRefused()
    {
        _folder.Write("alquimia.yml", """
            name: crm
            alerts:
              channels:
                plantao: {type: webhook, url_env: ALERT_WEBHOOK_URL}
              rules:
                - name: desatualizada
                  when: table_stale
                  over: 2d
                  tables: gold.crm_metrics_dayly
                  notify: plantao
                - name: agenda
                  when: schedule_missed
                  over: 15m
                  jobs: diario
                  notify: plantao
            """);

        var problems = _folder.Problems().Select(problem => $"{problem.Line}: {problem.Message}").ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("6: Alert rule 'desatualizada' watches gold.crm_metrics_dayly, which is neither a model nor a source table's bronze.", problems[0], StringComparison.Ordinal);
        Assert.Contains("Did you mean 'gold.crm_metrics_daily'?", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("11: Alert rule 'agenda' watches job 'diario', which alquimia.yml does not declare.", problems[1], StringComparison.Ordinal);
    }
}
