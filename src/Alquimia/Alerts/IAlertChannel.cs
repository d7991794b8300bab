namespace Alquimia.Alerts;

/// <summary>
/// Where alert messages go: one implementation per kind of channel of alquimia.yml (webhook, Slack, email). A send
/// either delivers or throws; retries are the caller's.
/// </summary>
public interface IAlertChannel
{
    /// <summary>The channel's name in alquimia.yml.</summary>
    string Name { get; }

    Task SendAsync(AlertNotice notice, CancellationToken cancellationToken);
}
