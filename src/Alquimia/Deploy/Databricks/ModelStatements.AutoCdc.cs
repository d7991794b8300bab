using System.Text.RegularExpressions;
using Alquimia.Projects;

namespace Alquimia.Deploy.Databricks;

public static partial class ModelStatements
{
    /// <summary>
    /// An apply_changes model as the source of its Lakeflow pipeline: a streaming table, a view streaming the model's
    /// feed (its one table, with its WHERE), and an AUTO CDC INTO flow with the model's keys, sequence, deletes,
    /// truncates, SCD type and history columns, which Lakeflow applies as Alquimia does (docs/projects.md). The
    /// pipeline publishes to the target's catalog and the model's layer, so names are those of the layer.
    /// </summary>
    /// <exception cref="UnportableSqlException">The model's SQL is not <c>SELECT * FROM</c> one table with an optional WHERE, or a condition has no Spark form.</exception>
    public static IReadOnlyList<string> AutoCdc(ModelDefinition model, SparkSqlPrinter printer)
    {
        var settings = model.Config.ApplyChanges!;
        var name = model.Name.ToString();
        var feed = FeedOf(model);
        var target = SparkSqlPrinter.Identifier(model.Name.Name);
        var view = SparkSqlPrinter.Identifier(model.Name.Name + "__feed");
        var where = feed.Where is { } condition ? $"\nWHERE {printer.PrintCondition(condition, name)}" : "";
        string Columns(IEnumerable<string> columns) => string.Join(", ", columns.Select(SparkSqlPrinter.Identifier));
        var flow = new List<string>
        {
            $"CREATE FLOW {SparkSqlPrinter.Identifier(model.Name.Name + "__apply_changes")} AS AUTO CDC INTO {target}",
            $"FROM STREAM({view})",
            $"KEYS ({Columns(settings.Keys)})",
        };
        if (settings.IgnoreNullUpdates)
        {
            flow.Add("IGNORE NULL UPDATES");
        }

        if (settings.ApplyAsDeletes is { } deletes)
        {
            flow.Add($"APPLY AS DELETE WHEN {printer.PrintCondition(deletes, name)}");
        }

        if (settings.ApplyAsTruncates is { } truncates)
        {
            flow.Add($"APPLY AS TRUNCATE WHEN {printer.PrintCondition(truncates, name)}");
        }

        flow.Add($"SEQUENCE BY {SparkSqlPrinter.Identifier(settings.SequenceBy)}");
        if (settings.ExceptColumns.Count > 0)
        {
            flow.Add($"COLUMNS * EXCEPT ({Columns(settings.ExceptColumns)})");
        }

        flow.Add($"STORED AS SCD TYPE {settings.ScdType}");
        if (settings.TrackHistoryOn.Count > 0)
        {
            flow.Add($"TRACK HISTORY ON ({Columns(settings.TrackHistoryOn)})");
        }
        else if (settings.TrackHistoryExcept.Count > 0)
        {
            flow.Add($"TRACK HISTORY ON * EXCEPT ({Columns(settings.TrackHistoryExcept)})");
        }

        var comment = model.Config.Description is { } description ? $"\nCOMMENT {SparkSqlPrinter.StringLiteral(description)}" : "";
        return
        [
            $"CREATE OR REFRESH STREAMING TABLE {target}{comment}",
            $"CREATE TEMPORARY VIEW {view}\nAS SELECT * FROM STREAM({TableName(feed.Table)}){where}",
            string.Join("\n", flow),
        ];
    }

    /// <summary>The table an apply_changes model reads its feed from, and its WHERE, if any.</summary>
    /// <exception cref="UnportableSqlException">The SQL is anything else: a Lakeflow flow streams one table.</exception>
    internal static (QualifiedName Table, string? Where) FeedOf(ModelDefinition model)
    {
        // Comments before the SELECT explain the model; they are not part of the query the flow streams.
        var match = FeedQuery().Match(LeadingComments().Replace(model.Sql, "").Trim().TrimEnd(';'));
        if (!match.Success || QualifiedName.TryParse(match.Groups["table"].Value) is not { } table)
        {
            throw new UnportableSqlException(
                model.Name.ToString(), 0, "an apply_changes query other than SELECT * FROM one table",
                "on Databricks the model is an AUTO CDC INTO flow that streams one table: write its SQL as SELECT * FROM layer.table (a WHERE may follow), and move any other transformation to a model upstream");
        }

        return (table, match.Groups["where"].Success ? match.Groups["where"].Value.Trim() : null);
    }

    [GeneratedRegex(@"^(?:\s*(?:--[^\n]*|/\*.*?\*/))*", RegexOptions.Singleline)]
    private static partial Regex LeadingComments();

    [GeneratedRegex(@"^SELECT\s+\*\s+FROM\s+(?<table>[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)(?:\s+WHERE\s+(?<where>.+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FeedQuery();
}
