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
        catch (YamlException exception) when (exception.Message.Contains("flow", StringComparison.OrdinalIgnoreCase) && UnclosedBracket(text) is not null)
        {
            // YamlDotNet places a flow collection left open at the line after the text ends: name the line it opened on.
            ReportUnclosed(text, filePath, firstLine, description, problems);
            return null;
        }
        catch (YamlException exception)
        {
            var line = (int)exception.Start.Line + firstLine - 1;
            problems.Add(filePath, Math.Max(line, 1), $"The YAML of {description} is malformed: {InnerMessage(exception)}. Check the indentation and quoting near this line.");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, with no position, on a flow collection left open at the very end of
            // the text (`unique_key: [id_pedido` with no newline after it).
            ReportUnclosed(text, filePath, firstLine, description, problems);
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
    private static void ReportUnclosed(string text, string filePath, int firstLine, string description, LoadProblems problems)
    {
        var (line, bracket) = UnclosedBracket(text) ?? (Math.Max(text.Split('\n').Length, 1), '[');
        problems.Add(
            filePath, line + firstLine - 1,
            $"The YAML of {description} is malformed: the '{bracket}' opened on this line is never closed. Close it with '{(bracket == '[' ? ']' : '}')}', or quote the value.");
    }

    /// <summary>The line (1-based) and character of the last '[' or '{' outside quotes and comments with no closing match.</summary>
    private static (int Line, char Bracket)? UnclosedBracket(string text)
    {
        var open = new Stack<(int Line, char Bracket)>();
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            char? quote = null;
            foreach (var character in lines[index])
            {
                if (quote is { } q)
                {
                    quote = character == q ? null : quote;
                }
                else if (character is '\'' or '"')
                {
                    quote = character;
                }
                else if (character == '#')
                {
                    break;
                }
                else if (character is '[' or '{')
                {
                    open.Push((index + 1, character));
                }
                else if (character is ']' or '}' && open.Count > 0)
                {
                    open.Pop();
                }
            }
        }

        return open.Count > 0 ? open.Peek() : null;
    }

    private static string InnerMessage(YamlException exception)
    {
        var message = (exception.InnerException as YamlException ?? exception).Message;
        var separator = message.IndexOf("): ", StringComparison.Ordinal);
        var inner = message.StartsWith("(Line:", StringComparison.Ordinal) && separator > 0 ? message[(separator + 3)..] : message;
        return inner.TrimEnd('.');
    }
}
