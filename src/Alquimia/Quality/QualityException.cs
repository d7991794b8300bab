using Alquimia.Projects;

namespace Alquimia.Quality;

/// <summary>A build stopped by its data: a <c>fail</c> expectation failed, or a threshold set to fail was crossed. Nothing of it was published.</summary>
public sealed class QualityException(string message) : AlquimiaException(message)
{
    /// <summary>The model whose checks failed.</summary>
    public required ModelDefinition Model { get; init; }

    /// <summary>What the expectations found, when they stopped the build; recorded after the rollback.</summary>
    public QualityOutcome? Expectations { get; init; }

    /// <summary>The data tests run, when one of them stopped the build; recorded after the rollback.</summary>
    public IReadOnlyList<TestOutcome> Tests { get; init; } = [];
}
