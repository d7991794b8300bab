using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Alquimia.Projects;

namespace Alquimia.Cli;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Project() => new("--project", "-p")
    {
        Description = "The project folder (the one holding alquimia.yml).",
        DefaultValueFactory = _ => ".",
    };

    public static Option<string?> Select() => new("--select", "-s")
    {
        Description = "Which models to include, as in dbt: name, +name (with ancestors), name+ (with descendants), layer:silver, tag:kpi, "
            + "source:postgres_public; several separated by spaces are a union, a comma inside one is an intersection.",
    };

    /// <summary>A day written YYYY-MM-DD, refused with the option's name otherwise (exit 2, as every bad command line).</summary>
    public static Option<DateOnly?> Date(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "YYYY-MM-DD",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ParseDate(text) is { } date)
            {
                return date;
            }

            result.AddError($"{name} should be a date written YYYY-MM-DD, such as 2026-12-06, not '{text}'.");
            return null;
        },
    };

    /// <summary>
    /// The date option's value in a command's validator, where a value that did not parse cannot be read (it throws):
    /// false for such a value, whose error is already reported.
    /// </summary>
    public static bool TryGetDate(CommandResult command, Option<DateOnly?> option, out DateOnly? date)
    {
        date = null;
        if (command.GetResult(option) is not { Tokens: [var token] })
        {
            return true;
        }

        date = ParseDate(token.Value);
        return date is not null;
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static Project Load(ParseResult parseResult, Option<string> projectOption) =>
        ProjectLoader.Load(parseResult.GetRequiredValue(projectOption));
}
