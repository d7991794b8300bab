using System.Globalization;
using Alquimia.Materializations;
using Alquimia.Projects;
using Alquimia.Quality;

namespace Alquimia.Deploy.Databricks;

/// <summary>
/// A model's expectations on Databricks, as seed 000's notebooks check them: the new rows are computed once into a
/// scratch Delta table, <c>_alquimia.&lt;layer&gt;__&lt;model&gt;__checked</c>, with one TRUE/FALSE column per rule. From
/// it a <c>fail</c> rule (or a threshold set to fail) stops the task with <c>raise_error</c> before anything is
/// written; the rows failing a quarantine rule go to <c>&lt;table&gt;_invalidos</c> with those columns,
/// <c>_failed_rules</c>, <c>_run_id</c> and <c>_quarantined_at</c>, as Alquimia writes it; the others, less the dropped
/// ones, to the model; and a summary row counts every rule's failures in the task's output. Lakeflow's
/// <c>EXPECT … ON VIOLATION</c> is not used: it exists only in pipelines, and not with the subqueries of foreign-key rules.
/// </summary>
internal sealed class ExpectationChecks
{
    private const string Retried = "alquimia_retried";

    private readonly ModelDefinition _model;
    private readonly IReadOnlyList<(Expectation Rule, string Condition)> _rules;
    private readonly IReadOnlyList<string> _queryColumns;
    private readonly QualityThreshold? _threshold;

    private ExpectationChecks(ModelDefinition model, IReadOnlyList<(Expectation, string)> rules, IReadOnlyList<string> queryColumns, QualityThreshold? threshold)
    {
        _model = model;
        _rules = rules;
        _queryColumns = queryColumns;
        _threshold = threshold;
        var name = model.Name;
        CheckedTable = $"_alquimia.{SparkSqlPrinter.Identifier($"{name.Schema}__{name.Name}__checked")}";
        QuarantineTable = ModelStatements.TableName(Quality.QuarantineTable.For(model));
    }

    /// <summary>The scratch table of the checked rows, replaced by each attempt and dropped at its end.</summary>
    public string CheckedTable { get; }

    /// <summary><c>&lt;layer&gt;.&lt;model&gt;_invalidos</c> in Spark SQL.</summary>
    public string QuarantineTable { get; }

    /// <summary>True when a rule sends its failing rows to the <c>_invalidos</c> table.</summary>
    public bool Quarantines => _model.Config.Quarantines;

    /// <summary>The checks of <paramref name="model"/>; null when it has no expectations.</summary>
    /// <exception cref="UnportableSqlException">A rule has no Spark form.</exception>
    public static ExpectationChecks? For(ModelDefinition model, SparkSqlPrinter printer, ProjectShape shape)
    {
        var expectations = model.Config.Expectations;
        if (expectations.Count == 0)
        {
            return null;
        }

        var rules = expectations.Select(rule => (rule, printer.PrintCondition(rule.Expression, model.Name.ToString()))).ToList();
        // The quarantine holds the query's columns, then one per rule, then its own: the query's are what it holds less those.
        var queryColumns = model.Config.Quarantines
            ? shape.Columns(Quality.QuarantineTable.For(model)).Select(column => column.Name)
                .Where(column => !expectations.Any(rule => rule.Name == column) && !Quality.QuarantineTable.OwnColumns.Contains(column)).ToList()
            : shape.Columns(model.Name).Select(column => column.Name).Where(column => !LoadStamp.IsStamp(column)).ToList();
        return new ExpectationChecks(model, rules, queryColumns, model.Config.ThresholdWithin(shape.Project.Settings.QualityThreshold));
    }

    /// <summary>The <c>_invalidos</c> table, created empty with the model's columns the first time (the models that keep theirs: incremental, delete_insert).</summary>
    public IEnumerable<string> CreateQuarantine(string select)
    {
        if (Quarantines)
        {
            yield return $"CREATE TABLE IF NOT EXISTS {QuarantineTable}\nUSING DELTA\nAS\nSELECT {QuarantineColumns("model", empty: true)}\nFROM (\n{select}\n) AS model\nWHERE false";
        }
    }

    /// <summary>
    /// The statements that check <paramref name="newRows"/>: the scratch table, the fail rules and threshold, and the
    /// summary. For an <paramref name="incremental"/> batch, the quarantined rows whose key the batch does not bring are
    /// checked again beside it, so a row whose parent arrived since leaves the quarantine for the model, as in Alquimia
    /// (a rule with <c>recheck: false</c> keeps the result it gave when the row came), and the quarantine's MERGE
    /// follows; a table replaces its quarantine instead (<see cref="ReplaceQuarantine"/>).
    /// </summary>
    public IReadOnlyList<string> Check(string newRows, bool incremental)
    {
        var columns = string.Join(", ", _queryColumns.Select(SparkSqlPrinter.Identifier));
        var kept = _rules.Where(rule => !rule.Rule.Recheck).Select(rule => rule.Rule).ToList();
        var withRetried = incremental && Quarantines;
        var input = withRetried
            ? $"""
              WITH batch AS (
              {newRows}
              )
              SELECT {columns}, false AS {Retried}{string.Concat(kept.Select(rule => $", CAST(NULL AS BOOLEAN) AS {KeptResult(rule)}"))}
              FROM batch
              UNION ALL
              SELECT {string.Join(", ", _queryColumns.Select(column => "quarantined." + SparkSqlPrinter.Identifier(column)))}, true AS {Retried}{string.Concat(kept.Select(rule => $", quarantined.{SparkSqlPrinter.Identifier(rule.Name)} AS {KeptResult(rule)}"))}
              FROM {QuarantineTable} AS quarantined
              WHERE NOT {AnyKeyNull("quarantined")}
                AND NOT EXISTS (SELECT 1 FROM batch WHERE {ModelStatements.KeysMatch(_model.Config.UniqueKey, "quarantined", "batch")})
              """
            : $"SELECT {columns}, false AS {Retried}\nFROM (\n{newRows}\n) AS batch";
        var flags = string.Join(",\n  ", _rules.Select(rule =>
        {
            var condition = kept.Contains(rule.Rule) ? $"coalesce({KeptResult(rule.Rule)}, ({rule.Condition}))" : $"({rule.Condition})";
            return $"coalesce(CAST({condition} AS BOOLEAN), false) AS {SparkSqlPrinter.Identifier(rule.Rule.Name)}";
        }));
        var statements = new List<string>
        {
            "CREATE SCHEMA IF NOT EXISTS _alquimia",
            $"CREATE OR REPLACE TABLE {CheckedTable}\nUSING DELTA\nAS\nSELECT model.*,\n  {flags}\nFROM (\n{input}\n) AS model",
        };
        statements.AddRange(_rules.Where(rule => rule.Rule.Action == ExpectationAction.Fail).Select(rule => FailWhen(
            $"NOT {Retried} AND NOT {SparkSqlPrinter.Identifier(rule.Rule.Name)}", $"expectation {rule.Rule.Name} (fail)")));
        if (_threshold is { OnCrossing: ThresholdAction.Fail } threshold && Quarantines)
        {
            var ratio = threshold.MaxInvalidRatio.ToString("0.######", CultureInfo.InvariantCulture);
            statements.Add($"""
                SELECT raise_error(concat({SparkSqlPrinter.StringLiteral($"{_model.Name}: ")}, invalid, ' of ', checked, ' new row(s) failed its quarantine rules, more than max_invalid_ratio {ratio}')) AS quality
                FROM (SELECT count(*) AS checked, count_if(NOT {Passes(ExpectationAction.Quarantine)}) AS invalid FROM {CheckedTable} WHERE NOT {Retried}) AS counted
                WHERE invalid > {ratio} * checked
                """);
        }

        statements.Add(Summary());
        if (withRetried)
        {
            statements.Add(QuarantineMerge());
        }

        return statements;
    }

    /// <summary>The checked rows the model gets: every quarantine and drop rule passed.</summary>
    public string ValidRows => $"SELECT * FROM {CheckedTable}\nWHERE {Passes(ExpectationAction.Quarantine)} AND {Passes(ExpectationAction.Drop)}";

    /// <summary>
    /// A table's whole quarantine, replaced as the table is: the rows failing a quarantine rule, the latest check's.
    /// A whole rebuild checks every row, so nothing is retried.
    /// </summary>
    public string ReplaceQuarantine() =>
        $"CREATE OR REPLACE TABLE {QuarantineTable}\nUSING DELTA\nAS\nSELECT {QuarantineColumns("checked", empty: false)}\nFROM {CheckedTable} AS checked\nWHERE NOT {Passes(ExpectationAction.Quarantine)}";

    /// <summary>A delete_insert's quarantine: the rows of its window replaced by the window's failing rows, in one commit.</summary>
    public string ReplaceQuarantineWindow(string window) =>
        $"INSERT INTO {QuarantineTable}\nREPLACE WHERE {window}\nSELECT {string.Join(", ", QuarantineValues("checked"))}\nFROM {CheckedTable} AS checked\nWHERE NOT {Passes(ExpectationAction.Quarantine)}";

    public string DropChecked => $"DROP TABLE IF EXISTS {CheckedTable}";

    /// <summary>
    /// The quarantine brought up to date in one MERGE: a key's quarantined row leaves when its new version (or its
    /// re-check) passes, is replaced by a new failing version, and a new failing key comes in. A retried row still
    /// failing is left as it is. Rows with a NULL in the key are each their own: they come in, and are not retried.
    /// </summary>
    private string QuarantineMerge()
    {
        var keys = _model.Config.UniqueKey;
        var all = _queryColumns.Concat(_rules.Select(rule => rule.Rule.Name)).Concat(Quality.QuarantineTable.OwnColumns).Select(SparkSqlPrinter.Identifier).ToList();
        var values = QuarantineValues("checked");
        return $"""
            MERGE INTO {QuarantineTable} AS quarantined
            USING {CheckedTable} AS checked
            ON NOT {AnyKeyNull("checked")} AND {ModelStatements.KeysMatch(keys, "quarantined", "checked")}
            WHEN MATCHED AND {Passes(ExpectationAction.Quarantine, "checked")} THEN DELETE
            WHEN MATCHED AND NOT checked.{Retried} THEN
              UPDATE SET {string.Join(", ", all.Zip(values).Select(pair => $"{pair.First} = {pair.Second}"))}
            WHEN NOT MATCHED AND NOT {Passes(ExpectationAction.Quarantine, "checked")} THEN
              INSERT ({string.Join(", ", all)})
              VALUES ({string.Join(", ", values)})
            """;
    }

    /// <summary>One row in the task's output: the rows checked, and how many failed each rule (warn rules are only counted here).</summary>
    private string Summary() =>
        $"SELECT {SparkSqlPrinter.StringLiteral(_model.Name.ToString())} AS model, count_if(NOT {Retried}) AS new_rows, count_if({Retried}) AS retried_rows,\n  "
        + string.Join(",\n  ", _rules.Select(rule => $"count_if(NOT {Retried} AND NOT {SparkSqlPrinter.Identifier(rule.Rule.Name)}) AS {SparkSqlPrinter.Identifier(rule.Rule.Name)}"))
        + $"\nFROM {CheckedTable}";

    private string FailWhen(string failing, string what) => $"""
        SELECT raise_error(concat({SparkSqlPrinter.StringLiteral($"{_model.Name}: {what} failed on ")}, failing, ' row(s)')) AS quality
        FROM (SELECT count_if({failing}) AS failing FROM {CheckedTable}) AS counted
        WHERE failing > 0
        """;

    /// <summary>The quarantine's columns over <paramref name="alias"/>: the query's, the rules', <c>_failed_rules</c>, <c>_run_id</c>, <c>_quarantined_at</c>.</summary>
    private string QuarantineColumns(string alias, bool empty)
    {
        var names = _queryColumns.Concat(_rules.Select(rule => rule.Rule.Name)).Concat(Quality.QuarantineTable.OwnColumns).Select(SparkSqlPrinter.Identifier);
        var values = empty
            ? _queryColumns.Select(column => $"{alias}.{SparkSqlPrinter.Identifier(column)}")
                .Concat(_rules.Select(_ => "CAST(NULL AS BOOLEAN)"))
                .Concat(["CAST(NULL AS ARRAY<STRING>)", "CAST(NULL AS STRING)", "CAST(NULL AS TIMESTAMP)"])
            : QuarantineValues(alias);
        return string.Join(", ", values.Zip(names).Select(pair => $"{pair.First} AS {pair.Second}"));
    }

    private List<string> QuarantineValues(string alias)
    {
        var failed = string.Join(", ", _rules.Where(rule => rule.Rule.Action == ExpectationAction.Quarantine)
            .Select(rule => $"CASE WHEN NOT {alias}.{SparkSqlPrinter.Identifier(rule.Rule.Name)} THEN {SparkSqlPrinter.StringLiteral(rule.Rule.Name)} END"));
        return
        [
            .. _queryColumns.Select(column => $"{alias}.{SparkSqlPrinter.Identifier(column)}"),
            .. _rules.Select(rule => $"{alias}.{SparkSqlPrinter.Identifier(rule.Rule.Name)}"),
            $"filter(array({failed}), rule -> rule IS NOT NULL)",
            "CAST(:run_id AS STRING)",
            "current_timestamp()",
        ];
    }

    /// <summary>TRUE when every rule with <paramref name="action"/> passed; <c>true</c> when there is none.</summary>
    private string Passes(ExpectationAction action, string? alias = null)
    {
        var names = _rules.Where(rule => rule.Rule.Action == action).Select(rule => (alias is null ? "" : alias + ".") + SparkSqlPrinter.Identifier(rule.Rule.Name)).ToList();
        return names.Count == 0 ? "true" : "(" + string.Join(" AND ", names) + ")";
    }

    private string AnyKeyNull(string alias) =>
        "(" + string.Join(" OR ", _model.Config.UniqueKey.Select(key => $"{alias}.{SparkSqlPrinter.Identifier(key)} IS NULL")) + ")";

    private static string KeptResult(Expectation rule) => SparkSqlPrinter.Identifier("alquimia_kept_" + rule.Name);
}
