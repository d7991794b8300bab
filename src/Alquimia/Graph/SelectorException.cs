namespace Alquimia.Graph;

/// <summary>A <c>--select</c> expression names something the project does not have, or is not written as one.</summary>
public sealed class SelectorException : AlquimiaException
{
    public SelectorException(string selector, string message)
        : base(message)
    {
        Selector = selector;
    }

    /// <summary>The term of the expression that could not be used.</summary>
    public string Selector { get; }
}
