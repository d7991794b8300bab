using System.Text;

namespace Alquimia.Serving;

/// <summary>CSV as RFC 4180 writes it: comma-separated, a field quoted when it holds a comma, a quote or a line break.</summary>
public static class Csv
{
    /// <summary>One field: quoted, with its quotes doubled, when it must be; an empty field for NULL.</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One line of fields, without its line break.</summary>
    public static string Line(IEnumerable<string?> values) => string.Join(",", values.Select(Field));

    /// <summary>A header line and one line per row, each ending in a line break.</summary>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<string?>> rows)
    {
        var text = new StringBuilder().Append(Line(header)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(Line(row)).Append('\n');
        }

        return text.ToString();
    }
}
