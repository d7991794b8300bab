namespace Alquimia.Quality;

/// <summary>A build stopped by its data: a <c>fail</c> expectation failed, or a threshold set to fail was crossed. Nothing of it was published.</summary>
public sealed class QualityException(string message) : AlquimiaException(message);
