namespace Alquimia.Projects.Loading;

/// <summary>The names users write for materializations (<c>materialized: delete_insert</c>), both ways.</summary>
internal static class MaterializationNames
{
    public static readonly IReadOnlyDictionary<string, MaterializationKind> ByName = new Dictionary<string, MaterializationKind>
    {
        ["view"] = MaterializationKind.View,
        ["table"] = MaterializationKind.Table,
        ["incremental"] = MaterializationKind.Incremental,
        ["delete_insert"] = MaterializationKind.DeleteInsert,
        ["snapshot"] = MaterializationKind.Snapshot,
    };

    public static string NameOf(MaterializationKind kind) => ByName.First(pair => pair.Value == kind).Key;
}
