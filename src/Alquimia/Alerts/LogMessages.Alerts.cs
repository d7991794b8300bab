using Microsoft.Extensions.Logging;

namespace Alquimia;

/// <summary>The log lines of alerts: 6xxx.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Alert {Title} sent to {Channels}")]
    public static partial void AlertSent(ILogger logger, string title, IEnumerable<string> channels);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Alert {Title} could not be sent to {Channel} after {Attempts} attempts: {Reason}")]
    public static partial void AlertNotDelivered(ILogger logger, string title, string channel, int attempts, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "An alert check failed: {Reason}")]
    public static partial void AlertCheckFailed(ILogger logger, string reason);
}
