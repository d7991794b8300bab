using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations.ApplyChanges;

/// <summary>
/// What an apply_changes model remembers of the changes it applied beyond its table, as Lakeflow keeps beside an AUTO
/// CDC target: per key, the sequence of the latest change (SCD type 1), or of each version's latest change (type 2);
/// the deletes (tombstones), so that an older change arriving after a delete is not applied; the latest truncate. Kept
/// in the <c>_alquimia</c> schema, written in the build's transaction with the table.
/// </summary>
internal sealed class ChangeState
{
    /// <summary>The sequence of the change a row records, typed as the model's <c>sequence_by</c>.</summary>
    public const string Sequence = "__sequence";

    /// <summary>What a row records: <see cref="Upsert"/>, <see cref="Version"/>, <see cref="Delete"/> or <see cref="Truncate"/>.</summary>
    public const string Kind = "__kind";

    /// <summary>SCD type 1: the key's row in the table holds the change at this sequence.</summary>
    public const string Upsert = "upsert";

    /// <summary>SCD type 2: the key's version holding this sequence took its values from the change at this sequence.</summary>
    public const string Version = "version";

    /// <summary>The key was deleted at this sequence.</summary>
    public const string Delete = "delete";

    /// <summary>The table was truncated at this sequence (the keys are NULL): no change up to it applies.</summary>
    public const string Truncate = "truncate";

    private readonly ModelBuild _build;
    private readonly ApplyChangesSettings _settings;

    public ChangeState(ModelBuild build, ApplyChangesSettings settings)
    {
        _build = build;
        _settings = settings;
        Table = new QualifiedName(Layer.StateSchema, $"apply_changes__{build.Target.Schema}__{build.Target.Name}");
    }

    /// <summary>The state's table: <c>_alquimia.apply_changes__&lt;layer&gt;__&lt;model&gt;</c>.</summary>
    public QualifiedName Table { get; }

    /// <summary>Creates the table when missing, with the keys typed as the feed's.</summary>
    public void CreateIfMissing() =>
        _build.Execute(
            $"CREATE TABLE IF NOT EXISTS {Table.Sql} AS SELECT {SqlLists.Names(_settings.Keys, "model")}, "
            + $"model.{SqlText.Identifier(_settings.SequenceBy)} AS {Sequence}, CAST(NULL AS VARCHAR) AS {Kind} FROM {_build.Subquery} AS model LIMIT 0");

    /// <summary>Forgets every applied change: the table is rebuilt from the whole feed.</summary>
    public void Drop() => _build.Execute($"DROP TABLE IF EXISTS {Table.Sql}");
}
