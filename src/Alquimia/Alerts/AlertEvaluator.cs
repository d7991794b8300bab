using System.Globalization;
using Alquimia.Operations;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;
using Microsoft.Extensions.Logging;

namespace Alquimia.Alerts;

/// <summary>
/// Decides, for the rules of alquimia.yml's <c>alerts</c>, what the runs and the clock make fire or clear, and sends
/// the messages. Not thread-safe: its host calls it from one loop, in order (the server's <c>AlertMonitor</c>), so a
/// run is never slowed by a channel and two messages about one alert never race.
/// </summary>
/// <remarks>
/// An alert is a rule and a subject (a job, a table, a model). It fires once when its condition starts to hold, again
/// every <c>repeat_interval</c> while it holds, and sends "resolved" when it clears; what fires is kept in
/// <c>_alquimia.alerts</c>, so a restarted host neither fires it twice nor forgets to resolve it. A failed run is
/// news each time: every failed run sends its message.
/// </remarks>
public sealed class AlertEvaluator(Project project, EmbeddedWarehouse warehouse, AlertChannels channels, TimeProvider time, ILogger logger)
{
    /// <summary>How often the host should call <see cref="CheckClock"/> (stale tables, missed slots, repeats).</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan[] DeliveryRetries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(string Rule, string Subject), Firing> _firing = [];
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private DateTimeOffset _startedAt;

    /// <summary>True when alquimia.yml has rules: without any, the host need not watch.</summary>
    public bool HasRules => Rules.Count > 0;

    private IReadOnlyList<AlertRule> Rules => project.Alerts.Rules;

    /// <summary>Restores what fires still from <c>_alquimia.alerts</c>; the clock's conditions count from now.</summary>
    public void Start()
    {
        _startedAt = time.GetUtcNow();
        foreach (var message in warehouse.Read(AlertLog.Firing))
        {
            if (Rules.Any(rule => rule.Name == message.Rule))
            {
                _firing[(message.Rule, message.Subject)] = new Firing(message.Since, message.SentAt);
            }
        }
    }

    /// <summary>A run of <paramref name="job"/> (null: outside any job) could not start: <paramref name="reason"/>.</summary>
    public Task RunNotStarted(string? job, string requestedBy, Exception reason, CancellationToken token) =>
        Each(AlertCondition.RunFailed, job, rule => Fire(rule, JobSubject(job), again: true,
            $"A run of {JobText(job)} could not start: {reason.Message}", null, [new("requested by", requestedBy)], token));

    private async Task Each(AlertCondition condition, string? job, Func<AlertRule, Task> act)
    {
        foreach (var rule in Rules.Where(rule => rule.When == condition && rule.Watches(job)))
        {
            await act(rule).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A run of <paramref name="job"/> started, for the job's slot at <paramref name="slot"/> (null for a run no slot
    /// asked for): the deadlines the host must time, as (rule, when due).
    /// </summary>
    public IReadOnlyList<(AlertRule Rule, DateTimeOffset Due)> RunStarted(RunRecord run, string? job, DateTimeOffset? slot)
    {
        _running.Add(run.RunId);
        return [.. Rules.Where(rule => rule.When == AlertCondition.RunDuration && rule.Watches(job))
            .Select(rule => (rule, (rule.FromSlot && slot is { } at ? at : run.StartedAt) + rule.Over!.Value))];
    }

    /// <summary><paramref name="rule"/>'s deadline for <paramref name="run"/> passed: it fires if the run still runs.</summary>
    public Task DeadlinePassed(AlertRule rule, RunRecord run, string? job, DateTimeOffset? slot, CancellationToken token)
    {
        if (!_running.Contains(run.RunId))
        {
            return Task.CompletedTask;
        }

        var since = rule.FromSlot && slot is { } at ? $"its slot at {Time(at)}" : $"it started at {Time(run.StartedAt)}";
        return Fire(rule, JobSubject(job), again: false,
            $"Run {run.RunId} of {JobText(job)} has not finished {Text(rule.Over!.Value)} after {since}.",
            run.RunId, [new("run", run.RunId), new("started", Time(run.StartedAt)), new("run date", Date(run.RunDate)), new("limit", Text(rule.Over.Value))], token);
    }

    /// <summary>A step's attempt failed and will be retried.</summary>
    public Task StepRetried(ModelRunRecord attempt, string? job, CancellationToken token) =>
        Each(AlertCondition.StepRetried, job, rule => Event(rule, attempt.Model,
            $"Step {attempt.Model} failed its attempt {attempt.Attempt} and will be retried: {FirstLine(attempt.Error)}",
            attempt.RunId, [new("step", attempt.Model), new("attempt", attempt.Attempt.ToString(CultureInfo.InvariantCulture)), new("error", FirstLine(attempt.Error))], token));

    /// <summary>A run ended, its end recorded.</summary>
    public async Task RunEnded(RunSummary summary, string? job, CancellationToken token)
    {
        var run = summary.Run;
        _running.Remove(run.RunId);

        var duration = (run.FinishedAt ?? time.GetUtcNow()) - run.StartedAt;
        var status = run.Status.ToString().ToLowerInvariant();
        await Each(AlertCondition.RunDuration, job, rule => Resolve(rule, JobSubject(job),
            $"Run {run.RunId} of {JobText(job)} ended after {Text(duration)} ({status}).", [new("run", run.RunId), new("duration", Text(duration))], token)).ConfigureAwait(false);

        if (run.Status is RunStatus.Failed or RunStatus.Interrupted)
        {
            var failed = summary.Steps.Where(step => step.Status == RunStatus.Failed).ToList();
            var facts = new List<KeyValuePair<string, string>> { new("run", run.RunId), new("run date", Date(run.RunDate)), new("duration", Text(duration)) };
            facts.AddRange(failed.Take(5).Select(step => new KeyValuePair<string, string>(step.Model, FirstLine(step.Error))));
            if (run.Error is not null)
            {
                facts.Add(new("error", run.Error));
            }

            facts.AddRange(SyncFacts(summary));

            await Each(AlertCondition.RunFailed, job, rule => Fire(rule, JobSubject(job), again: true,
                $"Run {run.RunId} of {JobText(job)} failed at {Time(run.FinishedAt ?? run.StartedAt)}: {run.ModelsFailed} step(s) failed"
                + (failed.Count > 0 ? $" ({string.Join(", ", failed.Select(step => step.Model))})" : "") + $", {run.ModelsSkipped} skipped.",
                run.RunId, facts, token)).ConfigureAwait(false);
        }
        else if (run.Status == RunStatus.Succeeded)
        {
            await Each(AlertCondition.RunFailed, job, rule => Resolve(rule, JobSubject(job),
                $"Run {run.RunId} of {JobText(job)} succeeded.", [new("run", run.RunId), new("run date", Date(run.RunDate))], token)).ConfigureAwait(false);
            var written = summary.Steps.Sum(step => step.RowsInserted + step.RowsUpdated);
            await Each(AlertCondition.RunSucceeded, job, rule => Event(rule, JobSubject(job),
                $"Run {run.RunId} of {JobText(job)} succeeded in {Text(duration)}: {run.ModelsSucceeded} table(s), {written:N0} record(s) written, run date {Date(run.RunDate)}.",
                run.RunId,
                [
                    new("duration", Text(duration)), new("tables", run.ModelsSucceeded.ToString(CultureInfo.InvariantCulture)),
                    new("records", written.ToString("N0", CultureInfo.InvariantCulture)), new("path", warehouse.Path), new("run date", Date(run.RunDate)),
                    .. SyncFacts(summary),
                ], token)).ConfigureAwait(false);
        }

        await CheckBronze(summary, token).ConfigureAwait(false);
        await CheckInvalidRatio(summary, token).ConfigureAwait(false);
    }

    /// <summary>
    /// Each source table synced by the run: its bronze has rows, or it fires. A table whose source lands without loading
    /// (<c>bronze: false</c>) has no bronze: the rows it landed are what is watched.
    /// </summary>
    private async Task CheckBronze(RunSummary summary, CancellationToken token)
    {
        var synced = summary.Steps.Where(step => step.Materialization is "ingest" or "replay" && step.Status is RunStatus.Succeeded or RunStatus.Warning)
            .Select(step => QualifiedName.TryParse(step.Model)).OfType<QualifiedName>().ToList();
        var landedOnly = project.LandedOnlySources;
        var landed = summary.Syncs.Where(sync => landedOnly.Contains(sync.Source))
            .GroupBy(sync => new QualifiedName("bronze", sync.Table)).ToDictionary(group => group.Key, group => group.Sum(sync => sync.RowsLanded ?? 0));
        foreach (var rule in Rules.Where(rule => rule.When == AlertCondition.BronzeEmpty))
        {
            foreach (var table in synced.Where(rule.Watches))
            {
                var onlyLanded = landed.TryGetValue(table, out var rowsLanded);
                var rows = onlyLanded ? rowsLanded : warehouse.Read(connection => connection.Scalar<long>($"SELECT count(*) FROM {table.Sql}"));
                var (empty, again) = onlyLanded
                    ? ($"{table} landed no rows in run {summary.Run.RunId} (its source has bronze: false, so its landing is what is watched).", $"{table} landed {rows:N0} row(s) again.")
                    : ($"{table} has no rows after run {summary.Run.RunId} synced it.", $"{table} has {rows:N0} row(s) again.");
                await (rows == 0
                    ? Fire(rule, table.ToString(), again: false, empty, summary.Run.RunId,
                        [new("table", table.ToString()), new("run", summary.Run.RunId), new("run date", Date(summary.Run.RunDate))], token)
                    : Resolve(rule, table.ToString(), again, [new("rows", rows.ToString("N0", CultureInfo.InvariantCulture))], token)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The share of invalid rows per model (for rules that name models) or over the whole run (for the others).</summary>
    private async Task CheckInvalidRatio(RunSummary summary, CancellationToken token)
    {
        var checkedBuilds = summary.Steps.Where(step => step.Quality is not null && step.Status is RunStatus.Succeeded or RunStatus.Warning).ToList();
        if (checkedBuilds.Count == 0)
        {
            return;
        }

        foreach (var rule in Rules.Where(rule => rule.When == AlertCondition.InvalidRatio))
        {
            var scopes = rule.Tables.Count == 0
                ? [("project", checkedBuilds)]
                : checkedBuilds.Where(step => QualifiedName.TryParse(step.Model) is { } model && rule.Watches(model)).Select(step => (step.Model, new List<ModelRunRecord> { step }));
            foreach (var (subject, builds) in scopes)
            {
                var rows = builds.Sum(step => step.Quality!.RowsChecked);
                var invalid = builds.Sum(step => step.Quality!.RowsQuarantined + step.Quality.RowsDropped);
                var ratio = rows == 0 ? 0 : (double)invalid / rows;
                var facts = new List<KeyValuePair<string, string>>
                {
                    new("invalid", invalid.ToString("N0", CultureInfo.InvariantCulture)), new("checked", rows.ToString("N0", CultureInfo.InvariantCulture)),
                    new("ratio", ratio.ToString("P2", CultureInfo.InvariantCulture)), new("limit", rule.Ratio!.Value.ToString("P2", CultureInfo.InvariantCulture)),
                    new("run", summary.Run.RunId),
                };
                var where = subject == "project" ? $"run {summary.Run.RunId}" : subject;
                await (ratio > rule.Ratio.Value
                    ? Fire(rule, subject, again: false,
                        $"{ratio.ToString("P2", CultureInfo.InvariantCulture)} of the rows checked in {where} are invalid ({invalid:N0} of {rows:N0}), over {rule.Ratio.Value.ToString("P2", CultureInfo.InvariantCulture)}; see the *_invalidos tables.",
                        summary.Run.RunId, facts, token)
                    : Resolve(rule, subject, $"{ratio.ToString("P2", CultureInfo.InvariantCulture)} of the rows checked in {where} are invalid, within the limit.", facts, token)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The conditions of the clock: stale tables, missed slots, and the repeats of what still fires.</summary>
    public async Task CheckClock(CancellationToken token)
    {
        var now = time.GetUtcNow();
        if (Rules.Any(rule => rule.When == AlertCondition.TableStale))
        {
            var freshness = Freshness.Read(warehouse);
            var everyTable = project.Models.Select(model => model.Name).Concat(project.Sources.SelectMany(source => source.Tables).Select(table => table.BronzeName)).ToList();
            foreach (var rule in Rules.Where(rule => rule.When == AlertCondition.TableStale))
            {
                foreach (var table in rule.Tables.Count > 0 ? rule.Tables : everyTable)
                {
                    var last = freshness.Tables.TryGetValue(table.ToString(), out var at) ? at : (DateTimeOffset?)null;
                    var age = now - (last ?? _startedAt);
                    await (age > rule.Over!.Value
                        ? Fire(rule, table.ToString(), again: false,
                            last is { } refreshed
                                ? $"{table} was last refreshed {Text(age)} ago ({Time(refreshed)}), over {Text(rule.Over.Value)}."
                                : $"{table} has no successful refresh recorded, and the server has run for {Text(age)}, over {Text(rule.Over.Value)}.",
                            null, [new("table", table.ToString()), new("last refresh", last is { } time ? Time(time) : "never"), new("limit", Text(rule.Over.Value))], token)
                        : Resolve(rule, table.ToString(), $"{table} was refreshed at {Time(last ?? now)}.", [new("table", table.ToString())], token)).ConfigureAwait(false);
                }
            }
        }

        if (Rules.Any(rule => rule.When == AlertCondition.ScheduleMissed))
        {
            await CheckSlots(now, token).ConfigureAwait(false);
        }

        if (Rules.Any(rule => rule.When == AlertCondition.SlotAtRisk))
        {
            await CheckReplicationSlots(token).ConfigureAwait(false);
        }

        foreach (var ((ruleName, subject), firing) in _firing.ToList())
        {
            if (Rules.FirstOrDefault(rule => rule.Name == ruleName) is { RepeatInterval: { } repeat } rule && now - firing.LastSent >= repeat)
            {
                _firing[(ruleName, subject)] = firing with { LastSent = now };
                await Send(new AlertNotice(project.Name, rule, subject, AlertState.Firing, $"Still firing since {Time(firing.Since)} ({Text(now - firing.Since)}).", firing.Since, now), token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Each CDC source's replication slot, read from its database: at risk when it retains the rule's share of
    /// <c>max_slot_wal_keep_size</c>, or PostgreSQL marked it unreserved (its WAL goes at the next checkpoint) or lost.
    /// A database that cannot be read says nothing here: the next sync's failure does.
    /// </summary>
    private async Task CheckReplicationSlots(CancellationToken token)
    {
        var slots = Operations.ChangeCapture.Slots(project, token);
        foreach (var rule in Rules.Where(rule => rule.When == AlertCondition.SlotAtRisk))
        {
            foreach (var slot in slots)
            {
                var subject = slot.Source;
                List<KeyValuePair<string, string>> facts =
                [
                    new("slot", slot.Slot), new("wal status", slot.WalStatus ?? "unknown"), new("retained", Bytes(slot.RetainedBytes)),
                    new("limit (max_slot_wal_keep_size)", slot.LimitBytes is { } limit ? Bytes(limit) : "none"),
                ];
                string? risk = slot.WalStatus switch
                {
                    "lost" => $"The replication slot {slot.Slot} of source {slot.Source} was invalidated: PostgreSQL removed WAL it had not delivered. "
                        + $"Drop it (SELECT pg_drop_replication_slot('{slot.Slot}')) and run alquimia cdc setup; the next sync takes a new snapshot.",
                    "unreserved" => $"The replication slot {slot.Slot} of source {slot.Source} retains {Bytes(slot.RetainedBytes)}, past max_slot_wal_keep_size: "
                        + "PostgreSQL invalidates it at its next checkpoint unless a sync catches up now.",
                    _ when slot.ShareOfLimit is { } share && share >= rule.Ratio!.Value =>
                        $"The replication slot {slot.Slot} of source {slot.Source} retains {Bytes(slot.RetainedBytes)}, {share.ToString("P0", CultureInfo.InvariantCulture)} of "
                        + $"max_slot_wal_keep_size ({Bytes(slot.LimitBytes!.Value)}): its syncs are not keeping up, and at the limit PostgreSQL invalidates it.",
                    _ => null,
                };
                await (risk is not null
                    ? Fire(rule, subject, again: false, risk, null, facts, token)
                    : Resolve(rule, subject, $"The replication slot {slot.Slot} of source {slot.Source} retains {Bytes(slot.RetainedBytes)}, within the limit.", facts, token)).ConfigureAwait(false);
            }
        }
    }

    private static string Bytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

    /// <summary>
    /// Each job's next slot after the last one a run started for (or after its resume, or the server's start): once it
    /// is <c>over</c> old with no run started, it was missed. Paused jobs miss nothing.
    /// </summary>
    private async Task CheckSlots(DateTimeOffset now, CancellationToken token)
    {
        var lastSlots = JobRuns.LastSlots(warehouse);
        var paused = JobRuns.Paused(warehouse);
        var resumed = JobRuns.Resumed(warehouse);
        foreach (var rule in Rules.Where(rule => rule.When == AlertCondition.ScheduleMissed))
        {
            foreach (var job in project.Jobs.Where(job => rule.Watches(job.Name) && !paused.Contains(job.Name)))
            {
                var from = lastSlots.TryGetValue(job.Name, out var last) ? last : _startedAt;
                if (resumed.TryGetValue(job.Name, out var resumedAt) && resumedAt > from)
                {
                    from = resumedAt;
                }

                if (job.Schedule.Next(from, job.TimeZone) is not { } slot)
                {
                    continue;
                }

                var local = TimeZoneInfo.ConvertTime(slot, job.TimeZone);
                await (now >= slot + rule.Over!.Value
                    ? Fire(rule, job.Name, again: false,
                        $"Job {job.Name} had no run started within {Text(rule.Over.Value)} of its slot at {local:yyyy-MM-dd HH:mm zzz} (run date {Date(job.RunDateOf(slot))}).",
                        null, [new("job", job.Name), new("slot", local.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)), new("limit", Text(rule.Over.Value))], token)
                    : Resolve(rule, job.Name, $"Job {job.Name} runs on schedule again.", [new("job", job.Name)], token)).ConfigureAwait(false);
            }
        }
    }

    private Task Fire(AlertRule rule, string subject, bool again, string summary, string? runId, IReadOnlyList<KeyValuePair<string, string>> facts, CancellationToken token)
    {
        var now = time.GetUtcNow();
        if (_firing.TryGetValue((rule.Name, subject), out var firing) && !again)
        {
            return Task.CompletedTask;
        }

        var since = firing?.Since ?? now;
        _firing[(rule.Name, subject)] = new Firing(since, now);
        return Send(new AlertNotice(project.Name, rule, subject, AlertState.Firing, summary, since, now) { Facts = facts, RunId = runId }, token);
    }

    private Task Resolve(AlertRule rule, string subject, string summary, IReadOnlyList<KeyValuePair<string, string>> facts, CancellationToken token)
    {
        if (!_firing.Remove((rule.Name, subject), out var firing))
        {
            return Task.CompletedTask;
        }

        var notice = new AlertNotice(project.Name, rule, subject, AlertState.Resolved, summary, firing.Since, time.GetUtcNow()) { Facts = facts };
        return rule.SendResolved ? Send(notice, token) : Record(notice, [], null);
    }

    private Task Event(AlertRule rule, string subject, string summary, string? runId, IReadOnlyList<KeyValuePair<string, string>> facts, CancellationToken token)
    {
        var now = time.GetUtcNow();
        return Send(new AlertNotice(project.Name, rule, subject, AlertState.Event, summary, now, now) { Facts = facts, RunId = runId }, token);
    }

    /// <summary>Sends to each of the rule's channels, each tried three times; what could not be sent is logged and recorded, never thrown.</summary>
    private async Task Send(AlertNotice notice, CancellationToken token)
    {
        var failures = new List<string>();
        var delivered = new List<string>();
        foreach (var name in notice.Rule.Notify)
        {
            var channel = channels.ByName[name];
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    timeout.CancelAfter(DeliveryTimeout);
                    await channel.SendAsync(notice, timeout.Token).ConfigureAwait(false);
                    delivered.Add(name);
                    break;
                }
                catch (Exception error) when (!token.IsCancellationRequested)
                {
                    if (attempt < DeliveryRetries.Length)
                    {
                        await Task.Delay(DeliveryRetries[attempt], token).ConfigureAwait(false);
                        continue;
                    }

                    var reason = channels.Redact(error.Message);
                    failures.Add($"{name}: {reason}");
                    LogMessages.AlertNotDelivered(logger, notice.Title, name, attempt + 1, reason);
                    break;
                }
            }
        }

        if (delivered.Count > 0)
        {
            LogMessages.AlertSent(logger, notice.Title, delivered);
        }

        await Record(notice, delivered, failures.Count == 0 ? null : string.Join('\n', failures)).ConfigureAwait(false);
    }

    private Task Record(AlertNotice notice, IReadOnlyList<string> sentTo, string? failures)
    {
        using var connection = warehouse.OpenConnection();
        AlertLog.Record(connection, new AlertMessage(notice.Rule.Name, notice.Subject, notice.Condition, notice.State, channels.Redact(notice.Summary), notice.Since, notice.At, sentTo)
        {
            Failures = failures,
            RunId = notice.RunId,
        });
        return Task.CompletedTask;
    }

    private static string JobSubject(string? job) => job ?? JobRuns.ManualRun;

    private static string JobText(string? job) => job is null ? "a run outside any job" : $"job {job}";

    /// <summary>
    /// What a run that synced sources landed, for its success and failure messages (seed 003's "tables, records, path"):
    /// the tables synced out of those tried, the records landed, and where the sources land (an <c>s3://</c> root as it is
    /// written). None for a run that synced nothing.
    /// </summary>
    private List<KeyValuePair<string, string>> SyncFacts(RunSummary summary)
    {
        var tried = summary.Syncs.Count + summary.Steps.Count(step => step.Materialization == "ingest" && step.Status == RunStatus.Failed);
        if (tried == 0)
        {
            return [];
        }

        var landed = summary.Syncs.Sum(sync => sync.RowsLanded ?? 0);
        var roots = summary.Syncs.Select(sync => sync.Source).Distinct(StringComparer.Ordinal)
            .Select(name => project.Sources.FirstOrDefault(source => source.Name == name))
            .OfType<SourceDefinition>()
            .Select(source => source.Landing.IsS3 ? source.Landing.Root! : Ingestion.Landing.LandingFiles.SourceFolder(project, source))
            .Distinct(StringComparer.Ordinal);
        return
        [
            new("tables synced", string.Create(CultureInfo.InvariantCulture, $"{summary.Syncs.Count} of {tried}")),
            new("records landed", landed.ToString("N0", CultureInfo.InvariantCulture)),
            new("landing", string.Join(", ", roots)),
        ];
    }

    private static string FirstLine(string? text) => text is null ? "(no message)" : text.Split('\n', 2)[0].Trim();

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A duration as people read it: <c>45s</c>, <c>12m 5s</c>, <c>2h</c>, <c>3d 4h</c>.</summary>
    private static string Text(TimeSpan span) => span switch
    {
        { TotalSeconds: < 60 } => $"{span.TotalSeconds:0.#}s",
        { TotalMinutes: < 60 } => span.Seconds == 0 ? $"{span.Minutes}m" : $"{span.Minutes}m {span.Seconds}s",
        { TotalHours: < 24 } => span.Minutes == 0 ? $"{(int)span.TotalHours}h" : $"{(int)span.TotalHours}h {span.Minutes}m",
        _ => span.Hours == 0 ? $"{span.Days}d" : $"{span.Days}d {span.Hours}h",
    };

    /// <summary>An alert that fires: since when, and when its last message went.</summary>
    private sealed record Firing(DateTimeOffset Since, DateTimeOffset LastSent);
}
