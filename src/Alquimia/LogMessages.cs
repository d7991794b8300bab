using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;

namespace Alquimia;

/// <summary>
/// Every log line the library writes, one method each with a stable event id: 1xxx runs, 2xxx steps, 3xxx ingestion,
/// 4xxx the warehouse. Ids are never reused for another message.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Run {RunId} of project {Project} for {RunDate:yyyy-MM-dd} started: {Selection}")]
    public static partial void RunStarted(ILogger logger, string runId, string project, string selection, DateOnly runDate);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Run {RunId} finished {Status}: {Succeeded} steps succeeded, {Failed} failed, {Skipped} skipped")]
    public static partial void RunFinished(ILogger logger, string runId, RunStatus status, int succeeded, int failed, int skipped);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Count} run(s) left running by a process that stopped are marked interrupted")]
    public static partial void RunsInterrupted(ILogger logger, int count);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Step {Step} started, attempt {Attempt}")]
    public static partial void StepStarted(ILogger logger, string step, int attempt);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Step {Step} committed in {Milliseconds} ms: {Inserted} rows inserted, {Updated} updated, {Deleted} deleted")]
    public static partial void StepCommitted(ILogger logger, string step, long milliseconds, long inserted, long updated, long deleted);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Step {Step} finished with warnings: {Warning}")]
    public static partial void StepWarned(ILogger logger, string step, string warning);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Step {Step} failed on attempt {Attempt} and will be retried: {Reason}")]
    public static partial void StepRetrying(ILogger logger, string step, int attempt, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Step {Step} failed on attempt {Attempt}: {Reason}")]
    public static partial void StepFailed(ILogger logger, string step, int attempt, string reason, Exception error);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Step {Step} was cancelled")]
    public static partial void StepCancelled(ILogger logger, string step);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Extracting {Source}.{Table} from {Column} >= {Cursor}")]
    public static partial void ExtractingFrom(ILogger logger, string source, string table, string column, string cursor);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Extracting {Source}.{Table} in full")]
    public static partial void ExtractingInFull(ILogger logger, string source, string table);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Synced {Source}.{Table} ({Mode}): {Landed} rows landed, {Loaded} loaded into bronze from {Files} files")]
    public static partial void Synced(ILogger logger, string source, string table, string mode, long? landed, long loaded, int files);
}
