using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Quality;

/// <summary>Which quarantined rows a build replaces: the ones its new rows supersede.</summary>
public enum QuarantineScope
{
    /// <summary>A whole rebuild: the quarantine is rebuilt too.</summary>
    Everything,

    /// <summary>An incremental batch: quarantined rows with a key in the batch (a fixed row leaves the quarantine).</summary>
    BatchKeys,

    /// <summary>A delete_insert window: quarantined rows inside the window.</summary>
    Window,
}

/// <summary>
/// <c>&lt;schema&gt;.&lt;model&gt;_invalidos</c>: the rows a build kept out of its model, as they came, with one TRUE/FALSE
/// column per expectation, <c>_failed_rules</c>, <c>_run_id</c> and <c>_quarantined_at</c>. Written in the model's
/// transaction, so the valid rows and their quarantined twins commit together or not at all.
/// </summary>
internal static class QuarantineTable
{
    public const string Suffix = ReservedNames.QuarantineSuffix;

    /// <summary>The columns the quarantine adds to the model's and the rules'.</summary>
    public static readonly string[] OwnColumns = ["_failed_rules", "_run_id", "_quarantined_at"];

    public static QualifiedName For(ModelDefinition model) => new(model.Name.Schema, model.Name.Name + Suffix);

    /// <summary>
    /// Creates the quarantine table of a model with quarantine rules, empty, when missing (<c>alquimia setup</c>, seed
    /// 000's <c>ddl_tb_*_invalidos</c>); false when there is nothing to create.
    /// </summary>
    public static bool CreateEmpty(ModelBuild build)
    {
        var rules = build.Model.Config.Expectations;
        var table = For(build.Model);
        if (!build.Model.Config.Quarantines || RelationCatalog.KindOf(build.Connection, table, build.CancellationToken) != RelationKind.None)
        {
            return false;
        }

        var flags = string.Join(", ", rules.Select(rule => $"CAST(NULL AS BOOLEAN) AS {SqlText.Identifier(rule.Name)}"));
        build.Execute(
            $"CREATE TABLE {table.Sql} AS SELECT *, {flags}, CAST(NULL AS VARCHAR[]) AS _failed_rules, CAST(NULL AS VARCHAR) AS _run_id, "
            + $"CAST(NULL AS TIMESTAMPTZ) AS _quarantined_at FROM {build.Subquery} AS model LIMIT 0");
        return true;
    }

    /// <summary>Replaces the quarantined rows in <paramref name="scope"/> with <paramref name="rows"/>, drawn from <paramref name="checkedRows"/>.</summary>
    public static void Write(ModelBuild build, QuarantineScope scope, QuarantinedRows rows, QualifiedName checkedRows)
    {
        var table = For(build.Model);
        if (scope == QuarantineScope.Everything || RelationCatalog.KindOf(build.Connection, table, build.CancellationToken) != RelationKind.Table)
        {
            RelationCatalog.Drop(build.Connection, table, build.CancellationToken);
            build.Execute($"CREATE TABLE {table.Sql} AS {rows.Sql}");
            return;
        }

        var existing = RelationCatalog.Columns(build.Connection, table, build.CancellationToken).Select(column => column.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var column in RelationCatalog.DescribeQuery(build.Connection, rows.Sql, build.CancellationToken).Where(column => !existing.Contains(column.Name)))
        {
            build.Execute($"ALTER TABLE {table.Sql} ADD COLUMN {SqlText.Identifier(column.Name)} {column.Type}");
        }

        if (scope == QuarantineScope.Window)
        {
            build.Execute($"DELETE FROM {table.Sql} WHERE ({build.Model.Config.Window})");
            build.Execute($"INSERT INTO {table.Sql} BY NAME {rows.Sql}");
            return;
        }

        // A key checked again leaves the quarantine unless it is quarantined again exactly as it was: that copy stays,
        // with the run and time it was first quarantined, so re-running changes nothing. A retried row every rule
        // judged as before is such a copy, and left out before anything is compared. A row with a NULL in its key is
        // no version of another row: it is matched by its values, so each one is kept, and one read again stays once.
        var keys = build.Model.Config.UniqueKey;
        var sameKey = $"{SqlLists.KeysMatch(keys, "quarantined", "batch")} AND NOT {SqlLists.AnyKeyNull(keys, "quarantined")}";
        var sameRow = $"{SqlLists.AnyKeyNull(keys, "quarantined")} AND NOT ({SqlLists.AnyDiffers(rows.ModelColumns, "quarantined", "batch")})";
        var identical = $"NOT ({SqlLists.AnyDiffers(rows.Compared, "quarantined", "batch")})";
        build.Execute(
            $"""
            DELETE FROM {table.Sql} AS quarantined
            WHERE (EXISTS (SELECT 1 FROM {checkedRows.Sql} AS batch WHERE {sameKey} AND NOT batch.{QualityGate.Unchanged})
                   OR EXISTS (SELECT 1 FROM {checkedRows.Sql} AS batch WHERE {sameRow} AND NOT batch.{QualityGate.Unchanged}))
              AND NOT EXISTS (SELECT 1 FROM ({rows.Sql}) AS batch WHERE {SqlLists.KeysMatch(keys, "quarantined", "batch")} AND {identical})
            """);
        build.Execute(
            $"""
            INSERT INTO {table.Sql} BY NAME
            SELECT * FROM ({rows.Sql}) AS batch
            WHERE CASE WHEN {SqlLists.AnyKeyNull(keys, "batch")}
                THEN NOT EXISTS (SELECT 1 FROM {table.Sql} AS quarantined WHERE {SqlLists.KeysMatch(keys, "quarantined", "batch")} AND {identical})
                ELSE NOT EXISTS (SELECT 1 FROM {table.Sql} AS quarantined WHERE {SqlLists.KeysMatch(keys, "quarantined", "batch")})
                END
            """);
    }
}

/// <summary>
/// The rows a build quarantines (<paramref name="Sql"/>: the latest version of each key, when invalid), and the
/// columns that tell two versions of a row apart: the model's and the rules' results.
/// </summary>
internal sealed record QuarantinedRows(string Sql, IReadOnlyList<string> ModelColumns, IReadOnlyList<string> RuleColumns)
{
    public IReadOnlyList<string> Compared => [.. ModelColumns, .. RuleColumns];
}
