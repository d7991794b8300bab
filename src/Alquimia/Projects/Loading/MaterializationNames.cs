namespace Alquimia.Projects.Loading;

/// <summary>The materializations by the names users write (<c>materialized: delete_insert</c>); the other way is <see cref="MaterializationKindNames.ConfigName"/>.</summary>
internal static class MaterializationNames
{
    public static readonly IReadOnlyDictionary<string, MaterializationKind> ByName =
        Enum.GetValues<MaterializationKind>().ToDictionary(kind => kind.ConfigName());
}
