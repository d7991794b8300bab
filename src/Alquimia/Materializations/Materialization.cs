using System.Collections.Frozen;
using Alquimia.Materializations.ApplyChanges;
using Alquimia.Projects;

namespace Alquimia.Materializations;

/// <summary>Finds the materialization for a kind.</summary>
public static class Materialization
{
    private static readonly FrozenDictionary<MaterializationKind, IMaterialization> ByKind =
        new IMaterialization[]
        {
            new ViewMaterialization(), new TableMaterialization(), new IncrementalMaterialization(),
            new DeleteInsertMaterialization(), new SnapshotMaterialization(), new ApplyChangesMaterialization(),
        }.ToFrozenDictionary(materialization => materialization.Kind);

    /// <summary>The materialization implementing <paramref name="kind"/>.</summary>
    public static IMaterialization For(MaterializationKind kind) => ByKind[kind];
}
