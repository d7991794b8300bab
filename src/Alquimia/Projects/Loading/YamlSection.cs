using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// One YAML mapping being read (a whole file, the front matter, a table of a source…): typed reads of its keys that
/// record a problem with the key's file line when a value is missing or of the wrong kind, and return null then.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _mapping;
    private readonly int _firstLine;

    public YamlSection(YamlMappingNode mapping, string filePath, int firstLine, string description, LoadProblems problems)
    {
        _mapping = mapping;
        _firstLine = firstLine;
        FilePath = filePath;
        Description = description;
        Problems = problems;
    }

    public string FilePath { get; }

    /// <summary>What the mapping is, for messages: <c>alquimia.yml</c>, <c>table 'chamados' of sources/pg.yml</c>.</summary>
    public string Description { get; }

    public LoadProblems Problems { get; }

    /// <summary>The file line of the mapping's first key (or of the mapping itself when empty).</summary>
    public int Line => _mapping.Children.Count > 0 ? LineOf(_mapping.Children[0].Key) : LineOf(_mapping);

    public IEnumerable<string> Keys => _mapping.Children.Keys.OfType<YamlScalarNode>().Select(key => key.Value ?? "");

    public bool Has(string key) => Node(key) is not null;

    public YamlNode? Node(string key) =>
        _mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    /// <summary>The file line of <paramref name="node"/>.</summary>
    public int LineOf(YamlNode node) => (int)node.Start.Line + _firstLine - 1;

    /// <summary>The file line of <paramref name="key"/>, or of the mapping when the key is absent.</summary>
    public int LineOfKey(string key)
    {
        var keyNode = _mapping.Children.Keys.FirstOrDefault(node => node is YamlScalarNode scalar && scalar.Value == key);
        return keyNode is null ? Line : LineOf(keyNode);
    }

    public void Problem(int line, string message) => Problems.Add(FilePath, line, message);

    /// <summary>Records every key that is not in <paramref name="allowed"/>, suggesting the closest one.</summary>
    public void CheckKeys(IReadOnlyCollection<string> allowed)
    {
        foreach (var key in _mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
            {
                var hint = Suggestions.Closest(name, allowed) is { } closest
                    ? $"Did you mean '{closest}'?"
                    : $"The keys here are: {string.Join(", ", allowed)}.";
                Problem(LineOf(key), $"Unknown key '{name}' in {Description}. {hint}");
            }
        }
    }

    /// <summary>A scalar's text; null when absent (recorded as a problem when <paramref name="requiredHint"/> is given) or not a scalar.</summary>
    public string? String(string key, string? requiredHint = null)
    {
        var node = Node(key);
        if (node is null)
        {
            if (requiredHint is not null)
            {
                Problem(Line, $"'{key}' is missing from {Description}: {requiredHint}");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Problem(LineOf(node), $"'{key}' in {Description} should be a single value, not a {KindOf(node)}.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(scalar.Value))
        {
            if (requiredHint is not null)
            {
                Problem(LineOf(node), $"'{key}' in {Description} is empty: {requiredHint}");
            }

            return null;
        }

        return scalar.Value;
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>, or null.</summary>
    public int? Int(string key, int minimum)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        Problem(LineOfKey(key), $"'{key}' in {Description} should be a whole number of at least {minimum}, not '{text}'.");
        return null;
    }

    /// <summary>A number from 0 to 1 (a share, e.g. <c>0.05</c>), or null.</summary>
    public double? Ratio(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
        {
            return value;
        }

        Problem(LineOfKey(key), $"'{key}' in {Description} should be a share from 0 to 1, e.g. 0.05 for 5%, not '{text}'.");
        return null;
    }

    /// <summary>A duration such as <c>30m</c>, or null.</summary>
    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (DurationParser.TryParse(text) is { } duration)
        {
            return duration;
        }

        Problem(LineOfKey(key), $"'{key}' in {Description} should be a duration with a unit, {DurationParser.Units}; '{text}' is not one.");
        return null;
    }

    /// <summary>YAML's true or false, in any case (<c>False</c>, <c>FALSE</c>), or null when absent or neither (recorded as a problem).</summary>
    public bool? Bool(string key) => Choice(key, Booleans);

    private static readonly IReadOnlyDictionary<string, bool> Booleans = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase)
    {
        ["true"] = true,
        ["false"] = false,
    };

    /// <summary>One of the <paramref name="values"/> (their keys are what the user writes), or null.</summary>
    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> values) where T : struct
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (values.TryGetValue(text, out var value))
        {
            return value;
        }

        NotOneOf(key, text, values.Keys);
        return null;
    }

    /// <summary>The value of <paramref name="key"/> when it is one of <paramref name="allowed"/>; null when absent or not one (recorded as a problem).</summary>
    public string? ChoiceOf(string key, IReadOnlyList<string> allowed)
    {
        var text = String(key);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        NotOneOf(key, text, allowed);
        return null;
    }

    private void NotOneOf(string key, string text, IEnumerable<string> allowed) =>
        Problem(LineOfKey(key), $"'{key}' in {Description} is '{text}', which is not one of: {string.Join(", ", allowed)}.{Suggestions.DidYouMean(text, allowed)}");

    /// <summary>A single value or a list of values (<c>a</c> or <c>[a, b]</c>); empty when absent.</summary>
    public IReadOnlyList<string> StringOrList(string key)
    {
        switch (Node(key))
        {
            case null:
                return [];
            case YamlScalarNode scalar:
                return string.IsNullOrWhiteSpace(scalar.Value) ? [] : [scalar.Value];
            case YamlSequenceNode sequence when sequence.Children.All(item => item is YamlScalarNode):
                return sequence.Children.Cast<YamlScalarNode>().Select(item => item.Value ?? "").Where(value => value.Length > 0).ToList();
            case var node:
                Problem(LineOf(node), $"'{key}' in {Description} should be a value or a list of values (e.g. [a, b]), not a {KindOf(node)}.");
                return [];
        }
    }

    /// <summary>A nested mapping, or null when absent or (recorded) not a mapping.</summary>
    public YamlSection? Mapping(string key, string description)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                return Child(mapping, description);
            case var node:
                Problem(LineOf(node), $"'{key}' in {Description} should be a mapping of keys (key: value), not a {KindOf(node)}.");
                return null;
        }
    }

    /// <summary>A list, or null when absent or (recorded) not a list.</summary>
    public YamlSequenceNode? Sequence(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlSequenceNode sequence:
                return sequence;
            case var node:
                Problem(LineOf(node), $"'{key}' in {Description} should be a list (lines starting with '- '), not a {KindOf(node)}.");
                return null;
        }
    }

    /// <summary>A mapping nested in this one, read against the same file.</summary>
    public YamlSection Child(YamlMappingNode mapping, string description) =>
        new(mapping, FilePath, _firstLine, description, Problems);

    /// <summary>The same mapping under another description, once it is known (e.g. after reading its name).</summary>
    public YamlSection Describe(string description) => new(_mapping, FilePath, _firstLine, description, Problems);

    public static string KindOf(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "single value",
    };
}
