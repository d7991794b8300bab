namespace Alquimia.Projects;

/// <summary>How a model's result is kept in the warehouse (the front matter's <c>materialized</c> key).</summary>
public enum MaterializationKind
{
    /// <summary>A view: nothing is stored, the query runs when read.</summary>
    View,

    /// <summary>A table rebuilt on every run into a new table and swapped in, so readers never see half of it.</summary>
    Table,

    /// <summary>A table merged on <c>unique_key</c> with only the rows past the stored watermark (minus the lookback).</summary>
    Incremental,

    /// <summary>A table whose time <c>window</c> is deleted and inserted again on every run, with optional retention.</summary>
    DeleteInsert,

    /// <summary>A slowly changing dimension of type 2: every version of a row, with valid_from, valid_to and is_current.</summary>
    Snapshot,

    /// <summary>
    /// A change feed (rows carrying an operation and a sequence) applied to a table by key, as Databricks' AUTO CDC
    /// (APPLY CHANGES) does: the latest version of each key (SCD type 1), or every version with <c>__START_AT</c> and
    /// <c>__END_AT</c> (SCD type 2).
    /// </summary>
    ApplyChanges,
}

/// <summary>The names of materializations as users write them in the front matter.</summary>
public static class MaterializationKindNames
{
    /// <summary><c>view</c>, <c>table</c>, <c>incremental</c>, <c>delete_insert</c>, <c>snapshot</c> or <c>apply_changes</c>.</summary>
    public static string ConfigName(this MaterializationKind kind) => kind switch
    {
        MaterializationKind.DeleteInsert => "delete_insert",
        MaterializationKind.ApplyChanges => "apply_changes",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
