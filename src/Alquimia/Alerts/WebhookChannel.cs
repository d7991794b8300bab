using System.Net.Http.Json;

namespace Alquimia.Alerts;

/// <summary>
/// A POST of the alert as JSON, for any receiver (an incident tool, a chat bridge, a script). The body is documented in
/// docs/running.md, "Alerts"; its keys are stable.
/// </summary>
internal sealed class WebhookChannel(string name, Uri url, HttpClient http) : IAlertChannel
{
    public string Name => name;

    public async Task SendAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        var body = new
        {
            project = notice.Project,
            rule = notice.Rule.Name,
            condition = notice.Condition,
            state = notice.State.ToString().ToLowerInvariant(),
            subject = notice.Subject,
            summary = notice.Summary,
            since = notice.Since,
            at = notice.At,
            run_id = notice.RunId,
            facts = notice.Facts.ToDictionary(fact => fact.Key, fact => fact.Value, StringComparer.Ordinal),
        };
        using var response = await http.PostAsJsonAsync(url, body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}
