using System.Data;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Projects.Loading;

/// <summary>
/// Asks DuckDB whether a declared column type exists (<c>BIGINT</c>, <c>DECIMAL(18,2)</c>, <c>STRUCT(a INT)</c>).
/// A type cannot be a query parameter, so it is written into <c>SELECT CAST(NULL AS …)</c>; only letters, digits,
/// spaces, underscores, commas, parentheses and brackets are let through, which leaves no way to end the statement,
/// open a string or comment, or call anything that reads files.
/// </summary>
internal sealed class ColumnTypeChecker
{
    private readonly CheckedConnection _connection;

    public ColumnTypeChecker(CheckedConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Null when DuckDB knows <paramref name="type"/>; otherwise why not, as a sentence with its final punctuation.</summary>
    public string? Check(string type)
    {
        var unsafeCharacter = type.FirstOrDefault(character =>
            !(char.IsAsciiLetterOrDigit(character) || character is ' ' or '_' or ',' or '(' or ')' or '[' or ']'));
        if (unsafeCharacter != default)
        {
            return $"a type is written with letters, digits, spaces, commas and parentheses only, and '{type}' holds '{unsafeCharacter}'.";
        }

        try
        {
            using var command = _connection.CreateCommand($"SELECT CAST(NULL AS {type})");
            using var reader = command.ExecuteReader(CommandBehavior.SingleRow);
            return reader.FieldCount == 1 ? null : $"'{type}' is not a single type.";
        }
        catch (DuckDbEngineException exception)
        {
            return $"DuckDB does not know the type '{type}': {FirstLine(exception.Message)}";
        }
    }

    private static string FirstLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = lines.Length > 0 ? lines[0] : message;
        // DuckDB's own suggestion is on the next line ("Did you mean "JSON"?"); keep it, it is the fix.
        var text = lines.Length > 1 && lines[1].StartsWith("Did you mean", StringComparison.Ordinal) ? $"{first} {lines[1]}" : first;
        return text.EndsWith('?') ? text : text.TrimEnd('.', '!') + ".";
    }
}
