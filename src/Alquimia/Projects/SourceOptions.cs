namespace Alquimia.Projects;

/// <summary>
/// What a source's connector read from its file beyond the keys every source has (a database's connection and schema).
/// Only the connector looks inside.
/// </summary>
public abstract record SourceOptions
{
    /// <summary>The options of a connector that reads none.</summary>
    public static SourceOptions None { get; } = new NoOptions();

    /// <summary>Where the source's tables are, for messages: <c>schema public</c>.</summary>
    public virtual string TablesIn => "the source";

    private sealed record NoOptions : SourceOptions;
}
