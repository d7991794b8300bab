using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Parses YAML text into its top-level mapping with YamlDotNet's representation model, so every key keeps its line.
/// Malformed YAML becomes a load problem at YamlDotNet's line, shifted by where the text starts in its file.
/// </summary>
internal static class YamlFile
{
    /// <summary>
    /// The top-level mapping of <paramref name="text"/> (empty text gives an empty mapping), or null after recording
    /// why it could not be read.
    /// </summary>
    /// <param name="firstLine">The file line of the text's first line (1 for a whole file; later for front matter).</param>
    public static YamlSection? Parse(string text, string filePath, int firstLine, string description, LoadProblems problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            var line = (int)exception.Start.Line + firstLine - 1;
            problems.Add(filePath, Math.Max(line, 1), $"The YAML of {description} is malformed: {InnerMessage(exception)}. Check the indentation and quoting near this line.");
            return null;
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is null || (root is YamlScalarNode scalar && string.IsNullOrEmpty(scalar.Value) && scalar.Tag.IsEmpty))
        {
            return new YamlSection(new YamlMappingNode(), filePath, firstLine, description, problems);
        }

        if (root is not YamlMappingNode mapping)
        {
            problems.Add(filePath, (int)root.Start.Line + firstLine - 1, $"The YAML of {description} should be a mapping of keys (key: value), not a {YamlSection.KindOf(root)}.");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            problems.Add(filePath, (int)stream.Documents[1].RootNode.Start.Line + firstLine - 1, $"The YAML of {description} holds more than one document; remove the second '---'.");
        }

        return new YamlSection(mapping, filePath, firstLine, description, problems);
    }

    // YamlDotNet prefixes its message with "(Line: 3, Col: 1, Idx: 20) - (Line: …): ", whose lines are relative to
    // the text it was given, not to the file; the problem carries the file's line instead.
    private static string InnerMessage(YamlException exception)
    {
        var message = (exception.InnerException as YamlException ?? exception).Message;
        var separator = message.IndexOf("): ", StringComparison.Ordinal);
        var inner = message.StartsWith("(Line:", StringComparison.Ordinal) && separator > 0 ? message[(separator + 3)..] : message;
        return inner.TrimEnd('.');
    }
}
