using Alquimia.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Alerts;

/// <summary>
/// One alert message on its way to the channels: what fired (or cleared), about what, and the facts a reader needs
/// first (the run, the error, the figures), in the order they are shown.
/// </summary>
/// <param name="Project">The project's name.</param>
/// <param name="Rule">The rule that fired.</param>
/// <param name="Subject">What it is about: a job, a table, a model, a step.</param>
/// <param name="Summary">One sentence a person reads first.</param>
/// <param name="Since">When the condition started to hold (the event's time for an event).</param>
/// <param name="At">When the message is sent.</param>
public sealed record AlertNotice(string Project, AlertRule Rule, string Subject, AlertState State, string Summary, DateTimeOffset Since, DateTimeOffset At)
{
    /// <summary>Name and value pairs: <c>run</c>, <c>error</c>, <c>duration</c>...</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Facts { get; init; } = [];

    /// <summary>The run it is about, when one.</summary>
    public string? RunId { get; init; }

    /// <summary>The rule's condition as alquimia.yml spells it.</summary>
    public string Condition => AlertConditions.NameOf(Rule.When);

    /// <summary><c>FIRING</c>, <c>RESOLVED</c> or <c>INFO</c>: the word a title starts with.</summary>
    public string StateWord => State switch
    {
        AlertState.Firing => "FIRING",
        AlertState.Resolved => "RESOLVED",
        _ => "INFO",
    };

    /// <summary>A one-line title: state, rule, subject.</summary>
    public string Title => $"{StateWord} {Rule.Name}: {Subject}";
}
