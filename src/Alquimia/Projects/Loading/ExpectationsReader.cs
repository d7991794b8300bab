using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Reads a model's <c>expectations:</c>, a mapping from rule name to a SQL expression, or to
/// <c>{expect: …, action: …, recheck: …}</c> when the action is not the layer's default or quarantined rows keep the
/// rule's first result. The expressions are parsed later, with the model's SQL, so that the tables they read become
/// dependencies.
/// </summary>
internal static partial class ExpectationsReader
{
    private static readonly IReadOnlyDictionary<string, ExpectationAction> Actions = new Dictionary<string, ExpectationAction>
    {
        ["warn"] = ExpectationAction.Warn,
        ["quarantine"] = ExpectationAction.Quarantine,
        ["drop"] = ExpectationAction.Drop,
        ["fail"] = ExpectationAction.Fail,
    };

    /// <summary>
    /// The action of a rule that names none: silver quarantines (seed 000's <c>*_invalidos</c>), gold fails (seed
    /// 002: "validação rigorosa"), other layers warn.
    /// </summary>
    public static ExpectationAction DefaultAction(string layer) => layer switch
    {
        "silver" => ExpectationAction.Quarantine,
        "gold" => ExpectationAction.Fail,
        _ => ExpectationAction.Warn,
    };

    public static IReadOnlyList<Expectation> Read(YamlSection yaml, QualifiedName model)
    {
        var rules = yaml.Mapping("expectations", $"'expectations' of '{model}'");
        if (rules is null)
        {
            return [];
        }

        var expectations = new List<Expectation>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in rules.Keys.ToList())
        {
            var line = rules.LineOfKey(name);
            if (!RuleName().IsMatch(name))
            {
                rules.Problem(line, $"Expectation '{name}' of '{model}' needs a name made of letters, digits and '_' that starts with a letter: it becomes a column of the quarantine table, e.g. cliente_existe.");
                continue;
            }

            if (!names.Add(name))
            {
                rules.Problem(line, $"Expectation '{name}' of '{model}' is declared twice (names are compared ignoring case); give each rule its own name.");
                continue;
            }

            if (Rule(rules, name, model, line) is { } expectation)
            {
                expectations.Add(expectation);
            }
        }

        return expectations;
    }

    private static Expectation? Rule(YamlSection rules, string name, QualifiedName model, int line)
    {
        var hint = $"a SQL condition every row must meet, e.g. {name}: id_chamado IS NOT NULL";
        switch (rules.Node(name))
        {
            case YamlScalarNode:
                return rules.String(name, hint) is { } expression ? new Expectation(name, expression, DefaultAction(model.Schema), line) : null;
            case YamlMappingNode mapping:
                var rule = rules.Child(mapping, $"expectation '{name}' of '{model}'");
                rule.CheckKeys(["expect", "action", "recheck"]);
                var expect = rule.String("expect", hint);
                var action = rule.Choice("action", Actions) ?? DefaultAction(model.Schema);
                var recheck = rule.Bool("recheck") ?? true;
                return expect is null ? null : new Expectation(name, expect, action, line, recheck);
            default:
                rules.Problem(line, $"Expectation '{name}' of '{model}' should be {hint}, or a mapping with 'expect', 'action' ({string.Join(", ", Actions.Keys)}) and 'recheck' (true or false).");
                return null;
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex RuleName();
}
