using Microsoft.Extensions.Logging;

namespace Alquimia.Server;

internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Job {Job}: next slot {At:yyyy-MM-dd HH:mm:ss zzz} in {Zone}, run date {RunDate:yyyy-MM-dd}")]
    public static partial void NextSlot(ILogger logger, string job, DateTimeOffset at, string zone, DateOnly runDate);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Job {Job}: the slot of run date {RunDate:yyyy-MM-dd} ran already in run {Run}; it is not run again")]
    public static partial void SlotRanAlready(ILogger logger, string job, DateOnly runDate, string run);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "A run asked for by {RequestedBy} did not run: {Reason}")]
    public static partial void RunNotRun(ILogger logger, string requestedBy, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Job {Job} is paused: its slot of run date {RunDate:yyyy-MM-dd} passes without a run")]
    public static partial void SlotPaused(ILogger logger, string job, DateOnly runDate);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "An alert check failed: {Reason}")]
    public static partial void AlertCheckFailed(ILogger logger, string reason);
}
