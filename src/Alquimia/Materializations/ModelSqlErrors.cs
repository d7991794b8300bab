using System.Globalization;
using System.Text.RegularExpressions;
using Alquimia.Projects;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Materializations;

/// <summary>
/// Places a DuckDB error raised by a model's query in the model's own file: the statement DuckDB ran wraps the model's
/// SELECT in Alquimia's SQL, so the line DuckDB gives is counted from the wrapper's first line, which the user never
/// wrote. The error names the file, and the line in it when DuckDB gave one.
/// </summary>
internal static partial class ModelSqlErrors
{
    /// <summary>
    /// The error as the model's author reads it: <c>models/gold/ft_x.sql:12: Binder Error: …</c>, without the generated
    /// statement. Null when the failing statement did not hold the model's SQL (the error is Alquimia's own).
    /// </summary>
    public static DuckDbEngineException? Locate(DuckDbEngineException error, ModelDefinition model, string projectDirectory)
    {
        var modelSql = model.Sql.TrimEnd().TrimEnd(';');
        var start = error.Sql?.IndexOf(modelSql, StringComparison.Ordinal) ?? -1;
        if (start < 0 || modelSql.Length == 0)
        {
            return null;
        }

        var file = Path.GetRelativePath(projectDirectory, model.FilePath).Replace(Path.DirectorySeparatorChar, '/');
        var linesBefore = error.Sql!.AsSpan(0, start).Count('\n');
        var modelLines = modelSql.AsSpan().Count('\n') + 1;
        var message = error.DuckDbMessage.Trim();
        var location = file;
        if (DuckDbLine().Match(message) is { Success: true } match)
        {
            var statementLine = int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture);
            var lineInModel = statementLine - linesBefore;
            if (lineInModel >= 1 && lineInModel <= modelLines)
            {
                var fileLine = model.SqlLine + lineInModel - 1;
                location = $"{file}:{fileLine}";
                message = DuckDbLine().Replace(message, $"line {fileLine}:");
            }
        }

        return new DuckDbEngineException($"{location}: {message}", error.ErrorType, sql: null, innerException: error);
    }

    [GeneratedRegex(@"LINE (?<line>\d+):")]
    private static partial Regex DuckDbLine();
}
