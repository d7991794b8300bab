using Alquimia.Projects;

namespace Alquimia.Alerts;

/// <summary>
/// The project's alert channels, made when the server starts with the secrets their environment variables hold. A
/// variable that is not set stops the start, naming it: an alert that cannot leave is found on day one, not on the
/// night it fires. <see cref="Redact"/> keeps those secrets out of what is logged and stored.
/// </summary>
public sealed class AlertChannels
{
    private readonly List<string> _secrets;

    private AlertChannels(IReadOnlyDictionary<string, IAlertChannel> byName, List<string> secrets)
    {
        ByName = byName;
        _secrets = secrets;
    }

    public IReadOnlyDictionary<string, IAlertChannel> ByName { get; }

    public static AlertChannels Create(Project project, Func<string, string?> environment, HttpClient http)
    {
        var channels = new Dictionary<string, IAlertChannel>(StringComparer.Ordinal);
        var secrets = new List<string>();
        var problems = new List<string>();
        foreach (var definition in project.Alerts.Channels)
        {
            string? Secret(string? variable, string what)
            {
                if (variable is null)
                {
                    return null;
                }

                var value = environment(variable);
                if (string.IsNullOrEmpty(value))
                {
                    problems.Add($"alert channel '{definition.Name}' (alquimia.yml, line {definition.Line}) reads {what} from {variable}, which is not set");
                    return null;
                }

                secrets.Add(value);
                return value;
            }

            switch (definition.Kind)
            {
                case AlertChannelKind.Webhook or AlertChannelKind.Slack:
                    var text = Secret(definition.UrlVariable, "its URL");
                    if (text is null)
                    {
                        continue;
                    }

                    if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    {
                        problems.Add($"alert channel '{definition.Name}' (alquimia.yml, line {definition.Line}): {definition.UrlVariable} does not hold an http(s) URL");
                        continue;
                    }

                    channels[definition.Name] = definition.Kind == AlertChannelKind.Slack ? new SlackChannel(definition.Name, url, http) : new WebhookChannel(definition.Name, url, http);
                    break;
                case AlertChannelKind.Email:
                    channels[definition.Name] = new EmailChannel(definition, Secret(definition.UsernameVariable, "its SMTP user"), Secret(definition.PasswordVariable, "its SMTP password"));
                    break;
            }
        }

        if (problems.Count > 0)
        {
            throw new AlquimiaException(
                $"The alerts cannot be sent: {string.Join("; ", problems)}. Set each variable in the server's environment, or remove the channel from alquimia.yml.");
        }

        return new AlertChannels(channels, secrets);
    }

    /// <summary><paramref name="text"/> with every secret of the channels replaced by <c>***</c>: an error may quote a URL.</summary>
    public string Redact(string text) =>
        _secrets.Where(secret => secret.Length > 0).Aggregate(text, (redacted, secret) => redacted.Replace(secret, "***", StringComparison.Ordinal));
}
