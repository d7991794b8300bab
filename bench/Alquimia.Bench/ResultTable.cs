using System.Text;

namespace Alquimia.Bench;

/// <summary>A plain-text table for stdout: the first column left-aligned, the others right-aligned, as figures read best.</summary>
internal sealed class ResultTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int ColumnCount => headers.Length;

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"The table has {headers.Length} columns; the row has {cells.Length} cells.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Print(string title)
    {
        var widths = headers.Select((header, column) => _rows.Select(row => row[column].Length).Prepend(header.Length).Max()).ToArray();
        Console.WriteLine(title);
        Console.WriteLine(Line(headers, widths));
        Console.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in _rows)
        {
            Console.WriteLine(Line(row, widths));
        }

        Console.WriteLine();
    }

    private static string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var column = 0; column < cells.Length; column++)
        {
            if (column > 0)
            {
                line.Append("  ");
            }

            line.Append(column == 0 ? cells[column].PadRight(widths[column]) : cells[column].PadLeft(widths[column]));
        }

        return line.ToString().TrimEnd();
    }
}
