namespace Alquimia.Projects.Loading;

/// <summary>
/// A model file cut in two: the YAML block in the comment at its very top (a line <c>/* ---</c>, the YAML, a line
/// <c>--- */</c>) and the SQL after it. Blank lines may precede the opening line; anything else means there is no
/// front matter and the whole file is SQL.
/// </summary>
/// <param name="Yaml">The YAML between the two marker lines, or null when the file has no front matter.</param>
/// <param name="YamlLine">The file line of the YAML's first line (the line after <c>/* ---</c>).</param>
/// <param name="OpeningLine">The file line of <c>/* ---</c>, or 1 without front matter: where problems about the model as a whole point.</param>
/// <param name="Sql">The text after <c>--- */</c>'s line, exactly as written.</param>
/// <param name="SqlLine">The file line where <paramref name="Sql"/> starts.</param>
internal sealed record FrontMatter(string? Yaml, int YamlLine, int OpeningLine, string Sql, int SqlLine)
{
    public const string Opening = "/* ---";
    public const string Closing = "--- */";

    /// <summary>Splits <paramref name="text"/>; null when a front matter is opened and never closed.</summary>
    public static FrontMatter? Split(string text)
    {
        var lines = text.Split('\n');
        var first = 0;
        while (first < lines.Length && string.IsNullOrWhiteSpace(lines[first]))
        {
            first++;
        }

        if (first == lines.Length || lines[first].Trim() != Opening)
        {
            return new FrontMatter(null, 1, 1, text, 1);
        }

        var closing = Array.FindIndex(lines, first + 1, line => line.Trim() == Closing);
        if (closing < 0)
        {
            return null;
        }

        var yaml = string.Join('\n', lines[(first + 1)..closing]);
        var sqlStart = lines.Take(closing + 1).Sum(line => line.Length + 1);
        var sql = sqlStart >= text.Length ? "" : text[sqlStart..];
        return new FrontMatter(yaml, first + 2, first + 1, sql, closing + 2);
    }

    /// <summary>The 1-based line that an opening marker sits on when it is never closed, for the message.</summary>
    public static int OpeningLineOf(string text) =>
        Array.FindIndex(text.Split('\n'), line => line.Trim() == Opening) + 1;
}
