using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads the <c>alerts</c> of alquimia.yml (docs/running.md, "Alerts"). The names a rule refers to (its channels here;
/// its jobs and tables once the project is loaded, <see cref="CheckReferences"/>) must exist.
/// </summary>
internal static class AlertsReader
{
    private static readonly string[] ChannelKeys = ["type", "url_env", "host", "port", "security", "username_env", "password_env", "from", "to"];
    private static readonly string[] RuleKeys = ["name", "when", "over", "from", "jobs", "tables", "notify", "repeat_interval", "send_resolved"];

    private static readonly IReadOnlyDictionary<string, bool> Origins = new Dictionary<string, bool>(StringComparer.Ordinal) { ["start"] = false, ["slot"] = true };

    private static readonly IReadOnlyDictionary<string, AlertChannelKind> Kinds = new Dictionary<string, AlertChannelKind>(StringComparer.Ordinal)
    {
        ["webhook"] = AlertChannelKind.Webhook,
        ["slack"] = AlertChannelKind.Slack,
        ["email"] = AlertChannelKind.Email,
    };

    private static readonly IReadOnlyDictionary<string, SmtpSecurity> Securities = new Dictionary<string, SmtpSecurity>(StringComparer.Ordinal)
    {
        ["starttls"] = SmtpSecurity.StartTls,
        ["ssl"] = SmtpSecurity.Ssl,
        ["none"] = SmtpSecurity.None,
    };

    /// <summary>What each condition's <c>over</c> is: a duration, a share, or nothing.</summary>
    private static Over OverOf(AlertCondition condition) => condition switch
    {
        AlertCondition.RunDuration or AlertCondition.TableStale or AlertCondition.ScheduleMissed => Over.Duration,
        AlertCondition.InvalidRatio => Over.Ratio,
        AlertCondition.SlotAtRisk => Over.ShareOfLimit,
        _ => Over.None,
    };

    private enum Over
    {
        None,
        Duration,
        Ratio,

        /// <summary>A share of a limit, with a default: <see cref="SlotAtRiskDefault"/>.</summary>
        ShareOfLimit,
    }

    /// <summary>The share of max_slot_wal_keep_size a slot_at_risk rule fires at when it says no <c>over</c>.</summary>
    public const double SlotAtRiskDefault = 0.8;

    public static AlertSettings Read(YamlSection project)
    {
        if (project.Mapping("alerts", $"'alerts' of {ProjectFileReader.FileName}") is not { } alerts)
        {
            return AlertSettings.None;
        }

        alerts.CheckKeys(["channels", "rules", "repeat_interval"]);
        var channels = ReadChannels(alerts);
        // A rule may notify a channel whose own declaration is broken: that channel's problem is enough.
        var declared = alerts.Mapping("channels", $"'alerts.channels' of {ProjectFileReader.FileName}")?.Keys.ToList() ?? [];
        var repeat = alerts.Duration("repeat_interval");
        var rules = new List<AlertRule>();
        foreach (var item in alerts.Sequence("rules")?.Children ?? [])
        {
            if (item is not YamlMappingNode mapping)
            {
                alerts.Problem(alerts.LineOf(item), $"Each entry of 'alerts.rules' in {ProjectFileReader.FileName} should be a mapping with 'name', 'when' and 'notify', not a {YamlSection.KindOf(item)}.");
                continue;
            }

            if (ReadRule(alerts.Child(mapping, $"an alert rule of {ProjectFileReader.FileName}"), declared, repeat) is not { } rule)
            {
                continue;
            }

            if (rules.Any(other => string.Equals(other.Name, rule.Name, StringComparison.OrdinalIgnoreCase)))
            {
                alerts.Problem(rule.Line, $"Alert rule '{rule.Name}' is declared twice in {ProjectFileReader.FileName}. Give each rule its own name.");
                continue;
            }

            rules.Add(rule);
        }

        return new AlertSettings(channels, rules);
    }

    /// <summary>The jobs and tables each rule names must be the project's.</summary>
    public static void CheckReferences(Project project, LoadProblems problems)
    {
        var tables = project.Models.Select(model => model.Name)
            .Concat(project.Sources.SelectMany(source => source.Tables).Select(table => table.BronzeName))
            .ToHashSet();
        foreach (var rule in project.Alerts.Rules)
        {
            foreach (var job in rule.Jobs.Where(job => !project.Jobs.Any(defined => string.Equals(defined.Name, job, StringComparison.Ordinal))))
            {
                problems.Add(ProjectFileReader.FileName, rule.Line,
                    $"Alert rule '{rule.Name}' watches job '{job}', which alquimia.yml does not declare.{Suggestions.DidYouMean(job, project.Jobs.Select(defined => defined.Name))}");
            }

            foreach (var table in rule.Tables.Where(table => !tables.Contains(table)))
            {
                problems.Add(ProjectFileReader.FileName, rule.Line,
                    $"Alert rule '{rule.Name}' watches {table}, which is neither a model nor a source table's bronze.{Suggestions.DidYouMean(table.ToString(), tables.Select(name => name.ToString()))}");
            }
        }
    }

    private static List<AlertChannelDefinition> ReadChannels(YamlSection alerts)
    {
        var channels = new List<AlertChannelDefinition>();
        if (alerts.Mapping("channels", $"'alerts.channels' of {ProjectFileReader.FileName}") is not { } section)
        {
            return channels;
        }

        foreach (var name in section.Keys)
        {
            if (section.Mapping(name, $"alert channel '{name}' of {ProjectFileReader.FileName}") is { } yaml && ReadChannel(name, yaml) is { } channel)
            {
                channels.Add(channel);
            }
        }

        return channels;
    }

    private static AlertChannelDefinition? ReadChannel(string name, YamlSection yaml)
    {
        yaml.CheckKeys(ChannelKeys);
        if (yaml.Choice("type", Kinds) is not { } kind)
        {
            if (!yaml.Has("type"))
            {
                yaml.Problem(yaml.Line, $"Alert channel '{name}' needs a 'type': webhook, slack or email.");
            }

            return null;
        }

        var channel = new AlertChannelDefinition(name, kind, yaml.Line);
        if (kind is AlertChannelKind.Webhook or AlertChannelKind.Slack)
        {
            var variable = yaml.String("url_env", $"the environment variable that holds the {(kind == AlertChannelKind.Slack ? "Slack incoming webhook's" : "webhook's")} URL, e.g. url_env: {(kind == AlertChannelKind.Slack ? "SLACK_WEBHOOK_URL" : "ALERT_WEBHOOK_URL")} (a URL is a secret: it is not written here).");
            Refuse(yaml, name, "host", "port", "security", "username_env", "password_env", "from", "to");
            return variable is null ? null : channel with { UrlVariable = variable };
        }

        var host = yaml.String("host", "the SMTP server, e.g. host: smtp.empresa.com.");
        var from = yaml.String("from", "the sender's address, e.g. from: alquimia@empresa.com.");
        var to = yaml.StringOrList("to");
        if (to.Count == 0)
        {
            yaml.Problem(yaml.Line, $"Alert channel '{name}' needs 'to': the recipients' addresses, e.g. to: [dados@empresa.com].");
        }

        Refuse(yaml, name, "url_env");
        var security = yaml.Choice("security", Securities) ?? SmtpSecurity.StartTls;
        var username = yaml.String("username_env");
        var password = yaml.String("password_env");
        if ((username is null) != (password is null))
        {
            yaml.Problem(yaml.LineOfKey(username is null ? "password_env" : "username_env"), $"Alert channel '{name}' names one of username_env and password_env: name both to log in, or neither.");
        }

        return host is null || from is null || to.Count == 0 ? null : channel with
        {
            SmtpHost = host,
            SmtpPort = yaml.Int("port", minimum: 1) ?? security switch { SmtpSecurity.Ssl => 465, SmtpSecurity.None => 25, _ => 587 },
            SmtpSecurity = security,
            UsernameVariable = username,
            PasswordVariable = password,
            From = from,
            To = to,
        };
    }

    private static void Refuse(YamlSection yaml, string channel, params string[] keys)
    {
        foreach (var key in keys.Where(yaml.Has))
        {
            yaml.Problem(yaml.LineOfKey(key), $"'{key}' does not apply to alert channel '{channel}' of its type: remove it.");
        }
    }

    private static AlertRule? ReadRule(YamlSection yaml, IReadOnlyList<string> channels, TimeSpan? repeat)
    {
        yaml.CheckKeys(RuleKeys);
        var name = yaml.String("name", "the rule's name, e.g. name: pipeline_falhou.");
        var rule = name is null ? yaml.Description : $"alert rule '{name}'";
        var conditions = AlertConditions.ByName.Keys;
        var whenText = yaml.String("when", $"what it watches: one of {string.Join(", ", conditions)}.");
        (AlertCondition Condition, Over Over)? when = null;
        if (whenText is not null)
        {
            if (AlertConditions.ByName.TryGetValue(whenText, out var found))
            {
                when = (found, OverOf(found));
            }
            else
            {
                yaml.Problem(yaml.LineOfKey("when"), $"'when: {whenText}' of {rule} is not a condition: {string.Join(", ", conditions)}.{Suggestions.DidYouMean(whenText, conditions)}");
            }
        }

        var notify = yaml.StringOrList("notify");
        if (notify.Count == 0)
        {
            yaml.Problem(yaml.Line, $"{Capitalized(rule)} needs 'notify': the channels of alerts.channels it sends to.");
        }

        foreach (var channel in notify.Where(channel => !channels.Contains(channel, StringComparer.Ordinal)))
        {
            yaml.Problem(yaml.LineOfKey("notify"), $"{Capitalized(rule)} notifies '{channel}', which alerts.channels does not declare.{Suggestions.DidYouMean(channel, channels)}");
        }

        TimeSpan? overDuration = null;
        double? overRatio = null;
        switch (when?.Over)
        {
            case Over.Duration:
                overDuration = yaml.Duration("over");
                if (!yaml.Has("over"))
                {
                    yaml.Problem(yaml.Line, $"{Capitalized(rule)} ({whenText}) needs 'over': a duration in {DurationParser.Units}.");
                }

                break;
            case Over.Ratio:
                overRatio = yaml.Ratio("over");
                if (!yaml.Has("over"))
                {
                    yaml.Problem(yaml.Line, $"{Capitalized(rule)} ({whenText}) needs 'over': a share of the rows checked, from 0 to 1 (0.05 is 5%).");
                }

                break;
            case Over.ShareOfLimit:
                overRatio = yaml.Has("over") ? yaml.Ratio("over") : SlotAtRiskDefault;
                break;
            case Over.None when yaml.Has("over"):
                yaml.Problem(yaml.LineOfKey("over"), $"'over' does not apply to {rule} ({whenText}): remove it.");
                break;
        }

        var tables = new List<QualifiedName>();
        foreach (var text in yaml.StringOrList("tables"))
        {
            if (QualifiedName.TryParse(text) is { } table)
            {
                tables.Add(table);
            }
            else
            {
                yaml.Problem(yaml.LineOfKey("tables"), $"'{text}' in 'tables' of {rule} is not a table: write layer.name, e.g. gold.crm_metrics_daily.");
            }
        }

        if (tables.Count > 0 && when?.Condition is not (AlertCondition.BronzeEmpty or AlertCondition.InvalidRatio or AlertCondition.TableStale))
        {
            yaml.Problem(yaml.LineOfKey("tables"), $"'tables' does not apply to {rule} ({whenText}), which watches runs: use 'jobs', or remove it.");
        }

        var jobs = yaml.StringOrList("jobs");
        if (jobs.Count > 0 && when?.Condition is AlertCondition.BronzeEmpty or AlertCondition.InvalidRatio or AlertCondition.TableStale)
        {
            yaml.Problem(yaml.LineOfKey("jobs"), $"'jobs' does not apply to {rule} ({whenText}), which watches tables: use 'tables', or remove it.");
        }

        var fromSlot = yaml.Choice("from", Origins) ?? false;
        if (yaml.Has("from") && when?.Condition is not AlertCondition.RunDuration)
        {
            yaml.Problem(yaml.LineOfKey("from"), $"'from' applies to run_duration only (start or slot), not to {rule}: remove it.");
        }

        var ownRepeat = yaml.Duration("repeat_interval");
        var sendResolved = yaml.Bool("send_resolved") ?? true;
        return name is null || when is null || notify.Count == 0 ? null : new AlertRule(name, when.Value.Condition, notify, yaml.LineOfKey("name"))
        {
            Over = overDuration,
            FromSlot = fromSlot,
            Ratio = overRatio,
            Jobs = jobs,
            Tables = tables,
            RepeatInterval = ownRepeat ?? repeat,
            SendResolved = sendResolved,
        };
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
