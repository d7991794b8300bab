using Alquimia.Projects;

namespace Alquimia.Materializations;

/// <summary>
/// One way of keeping a model's result in the warehouse. Implementations run inside the transaction the runner
/// opened for the model, which also records the model run, so their work and its bookkeeping commit together.
/// </summary>
public interface IMaterialization
{
    /// <summary>The front matter's <c>materialized</c> value this class implements.</summary>
    MaterializationKind Kind { get; }

    /// <summary>Brings the model's relation up to date with its SQL; returns what changed.</summary>
    MaterializationResult Build(ModelBuild build);

    /// <summary>Creates the model's relation, empty, when missing (<c>alquimia setup</c>); returns false when it existed.</summary>
    bool CreateEmpty(ModelBuild build);
}
