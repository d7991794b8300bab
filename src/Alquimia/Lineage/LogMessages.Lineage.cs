using Microsoft.Extensions.Logging;

namespace Alquimia;

/// <summary>The log lines of lineage emission: 5xxx.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "OpenLineage events could not be sent to {Endpoint}: {Reason}. The run goes on; later failures are counted at its end")]
    public static partial void LineageSendFailed(ILogger logger, Uri endpoint, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Count} of {Total} OpenLineage events of run {RunId} were not delivered to {Endpoint}")]
    public static partial void LineageNotDelivered(ILogger logger, int count, int total, string runId, string endpoint);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "OpenLineage events could not be appended to {File}: {Reason}. The run goes on")]
    public static partial void LineageFileFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "The OpenLineage event of step {Step} could not be made, and is not sent: {Reason}")]
    public static partial void LineageEventFailed(ILogger logger, string step, string reason, Exception error);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning,
        Message = "lineage: api_key_env names {Variable}, which is not set: OpenLineage events are sent to {Endpoint} without a token")]
    public static partial void LineageTokenMissing(ILogger logger, string variable, Uri endpoint);
}
