using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Warehouse;

/// <summary>What an alert message says of its condition.</summary>
public enum AlertState
{
    /// <summary>The condition holds (sent when it starts, and again at each repeat interval).</summary>
    Firing,

    /// <summary>The condition cleared.</summary>
    Resolved,

    /// <summary>A message about one event, which neither holds nor clears: a retry, a success summary.</summary>
    Event,
}

/// <summary>One message of an alert rule, as sent: a row of <c>_alquimia.alerts</c>. It never holds a secret.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Subject">What it is about: a job, a table, a model, a step.</param>
/// <param name="Condition">The rule's condition, as alquimia.yml spells it (<c>run_failed</c>).</param>
/// <param name="Since">When the condition started to hold (the event's time for an event).</param>
/// <param name="SentAt">When the message was sent.</param>
/// <param name="Channels">The channels it went to, by name.</param>
public sealed record AlertMessage(string Rule, string Subject, string Condition, AlertState State, string Summary, DateTimeOffset Since, DateTimeOffset SentAt, IReadOnlyList<string> Channels)
{
    /// <summary>Why channels did not take it, one line per channel; null when every one did.</summary>
    public string? Failures { get; init; }

    /// <summary>The run it is about, when one.</summary>
    public string? RunId { get; init; }
}

/// <summary><c>_alquimia.alerts</c>: every alert message sent, from which a restarted server knows what fires still.</summary>
public static class AlertLog
{
    public static void Record(CheckedConnection connection, AlertMessage message) =>
        connection.Execute(
            $"""
            INSERT INTO {StateTables.Alerts} (rule, subject, condition, state, summary, since, sent_at, channels, failures, run_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            default, message.Rule, message.Subject, message.Condition, Name(message.State), message.Summary, message.Since, message.SentAt,
            string.Join(',', message.Channels), message.Failures, message.RunId);

    /// <summary>The alerts whose latest message is <see cref="AlertState.Firing"/>: those that hold still.</summary>
    public static List<AlertMessage> Firing(CheckedConnection connection) =>
        Query(connection, $"""
            SELECT {Columns} FROM {StateTables.Alerts} WHERE state IN ('firing', 'resolved')
            QUALIFY row_number() OVER (PARTITION BY rule, subject ORDER BY sent_at DESC) = 1 AND state = 'firing'
            ORDER BY sent_at
            """);

    /// <summary>The latest <paramref name="count"/> messages, newest first.</summary>
    public static List<AlertMessage> Recent(CheckedConnection connection, int count) =>
        Query(connection, $"SELECT {Columns} FROM {StateTables.Alerts} ORDER BY sent_at DESC LIMIT {count}");

    private const string Columns = "rule, subject, condition, state, summary, since, sent_at, channels, failures, run_id";

    private static List<AlertMessage> Query(CheckedConnection connection, string select) =>
        connection.Query(
            select,
            reader => new AlertMessage(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<AlertState>(reader.GetString(3), ignoreCase: true), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Failures = reader.IsDBNull(8) ? null : reader.GetString(8),
                RunId = reader.IsDBNull(9) ? null : reader.GetString(9),
            });

    private static string Name(AlertState state) => state.ToString().ToLowerInvariant();
}
