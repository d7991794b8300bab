namespace Alquimia.Projects.Loading;

/// <summary>A model as read from its file, with where each table it reads is written, for the cross-file checks.</summary>
internal sealed record ModelFile(ModelDefinition Definition, IReadOnlyList<ReferenceSite> Sites);
