using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Alquimia.Alerts;

/// <summary>
/// A message to a Slack incoming webhook, in blocks: a header with the state and rule, the summary, the facts as fields,
/// and the project and time as context. <c>text</c> carries the same as plain text for notifications.
/// </summary>
internal sealed class SlackChannel(string name, Uri url, HttpClient http) : IAlertChannel
{
    /// <summary>Slack takes at most 10 fields in a section.</summary>
    private const int FieldsPerSection = 10;

    public string Name => name;

    public async Task SendAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(url, Message(notice), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Slack explains a refusal in the body (invalid_blocks, no_service...): it names no secret.
            var reason = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"Slack answered {(int)response.StatusCode}: {reason}", null, response.StatusCode);
        }
    }

    internal static JsonObject Message(AlertNotice notice)
    {
        var icon = notice.State switch
        {
            Warehouse.AlertState.Firing => ":red_circle:",
            Warehouse.AlertState.Resolved => ":large_green_circle:",
            _ => ":information_source:",
        };
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText($"{notice.StateWord} {notice.Rule.Name}: {notice.Subject}") },
            new JsonObject { ["type"] = "section", ["text"] = Markdown($"{icon} {notice.Summary}") },
        };
        foreach (var chunk in notice.Facts.Chunk(FieldsPerSection))
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray([.. chunk.Select(fact => (JsonNode)Markdown($"*{fact.Key}*\n{fact.Value}"))]),
            });
        }

        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(Markdown($"Alquimia · project *{notice.Project}* · {notice.At:yyyy-MM-dd HH:mm:ss zzz}")),
        });
        return new JsonObject { ["text"] = $"{notice.Title}. {notice.Summary}", ["blocks"] = blocks };
    }

    // Slack caps a header at 150 characters.
    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text.Length > 150 ? text[..149] + "…" : text };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
