using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads a model's <c>tests:</c>, a list whose items name a test and its arguments, dbt-style:
/// <code>
/// tests:
///   - unique: id_chamado
///   - not_null: [id_chamado, data_referencia]
///   - accepted_values: {column: status, values: [aberto, resolvido]}
///   - relationships: {column: id_canal, to: gold.dm_canal, field: id_canal}
///   - expression: {name: custo_nao_negativo, sql: "SELECT * FROM gold.ft_custo WHERE custo_total &lt; 0"}
///   - row_count_between: {min: 1}
///   - freshness: {column: atualizado_em, max_age: 2 days, severity: warn}
/// </code>
/// Severity is error unless the item says <c>severity: warn</c>.
/// </summary>
internal sealed class DataTestsReader(IntervalChecker intervals)
{
    private static readonly string[] Kinds = ["unique", "not_null", "accepted_values", "relationships", "expression", "row_count_between", "freshness"];

    private static readonly IReadOnlyDictionary<string, TestSeverity> Severities = new Dictionary<string, TestSeverity>
    {
        ["error"] = TestSeverity.Error,
        ["warn"] = TestSeverity.Warn,
    };

    public IReadOnlyList<DataTest> Read(YamlSection yaml, QualifiedName model)
    {
        if (yaml.Sequence("tests") is not { } items)
        {
            return [];
        }

        var tests = new List<DataTest>();
        foreach (var item in items.Children)
        {
            var line = yaml.LineOf(item);
            if (item is not YamlMappingNode { Children.Count: 1 } mapping || mapping.Children.Keys.Single() is not YamlScalarNode { Value: { } kind })
            {
                yaml.Problem(line, $"Each test of '{model}' is one item naming the test, e.g. '- unique: id_chamado'; the tests are: {string.Join(", ", Kinds)}.");
                continue;
            }

            var test = yaml.Child(mapping, $"the tests of '{model}'");
            if (!Kinds.Contains(kind))
            {
                test.CheckKeys(Kinds);
                continue;
            }

            tests.AddRange(ReadTest(test, kind, model, line));
        }

        return tests;
    }

    private IEnumerable<DataTest> ReadTest(YamlSection test, string kind, QualifiedName model, int line)
    {
        var description = $"test '{kind}' of '{model}'";
        var options = test.Node(kind) is YamlMappingNode mapping ? test.Child(mapping, description) : null;
        var severity = options?.Choice("severity", Severities) ?? TestSeverity.Error;
        switch (kind)
        {
            case "unique" or "not_null":
                options?.CheckKeys(["columns", "severity"]);
                var columns = options is null ? test.StringOrList(kind) : options.StringOrList("columns");
                if (columns.Count == 0)
                {
                    test.Problem(line, $"The {description} needs the column(s) it checks, e.g. '- {kind}: id_chamado' or '- {kind}: {{columns: [a, b], severity: warn}}'.");
                    return [];
                }

                return kind == "unique" ? [new UniqueTest(columns, severity, line)] : columns.Select(column => new NotNullTest(column, severity, line));
            case "accepted_values":
                if (Required(options, description, line, ["column", "values", "severity"], test) is not { } values
                    || values.String("column", "the column checked, e.g. column: status.") is not { } valuesColumn)
                {
                    return [];
                }

                if (values.StringOrList("values") is not { Count: > 0 } accepted)
                {
                    values.Problem(values.LineOfKey("values"), $"The {description} needs 'values', the allowed values, e.g. values: [aberto, resolvido].");
                    return [];
                }

                return [new AcceptedValuesTest(valuesColumn, accepted, severity, line)];
            case "relationships":
                if (Required(options, description, line, ["column", "to", "field", "severity"], test) is not { } relation
                    || relation.String("column", "the column holding the key, e.g. column: id_canal.") is not { } keyColumn
                    || relation.String("to", "the model the key must exist in, e.g. to: gold.dm_canal.") is not { } to)
                {
                    return [];
                }

                if (QualifiedName.TryParse(to) is not { } target)
                {
                    relation.Problem(relation.LineOfKey("to"), $"'to' in the {description} should be a schema-qualified model such as gold.dm_canal, not '{to}'.");
                    return [];
                }

                return [new RelationshipsTest(keyColumn, target, relation.String("field") ?? keyColumn, severity, line)];
            case "expression":
                return Required(options, description, line, ["name", "sql", "severity"], test) is { } expression
                    && expression.String("name", "what the rule is called in results, e.g. name: custo_nao_negativo.") is { } name
                    && expression.String("sql", "a SELECT of the rows that break the rule.") is { } sql
                    ? [new ExpressionTest(name, sql, [], severity, line)]
                    : [];
            case "row_count_between":
                if (Required(options, description, line, ["min", "max", "severity"], test) is not { } counts)
                {
                    return [];
                }

                var min = counts.Int("min", minimum: 0);
                var max = counts.Int("max", minimum: 0);
                if (min is null && max is null)
                {
                    counts.Problem(line, $"The {description} needs 'min', 'max' or both, e.g. {{min: 1}}.");
                    return [];
                }

                return [new RowCountBetweenTest(min, max, severity, line)];
            default:
                if (Required(options, description, line, ["column", "max_age", "severity"], test) is not { } freshness
                    || freshness.String("column", "the timestamp column, e.g. column: atualizado_em.") is not { } timestamp
                    || freshness.String("max_age", "how old the newest row may be, e.g. max_age: 2 days.") is not { } age)
                {
                    return [];
                }

                if (!intervals.IsValid(age, allowNumber: false))
                {
                    freshness.Problem(freshness.LineOfKey("max_age"), $"'max_age' in the {description} is '{age}', which DuckDB does not read as an interval such as '2 days' or '6 hours'.");
                    return [];
                }

                return [new FreshnessTest(timestamp, age, severity, line)];
        }
    }

    /// <summary>The options mapping, recording a problem when the test was given none.</summary>
    private static YamlSection? Required(YamlSection? options, string description, int line, string[] keys, YamlSection test)
    {
        if (options is null)
        {
            test.Problem(line, $"The {description} takes a mapping of its options: {string.Join(", ", keys)}.");
            return null;
        }

        options.CheckKeys(keys);
        return options;
    }
}
