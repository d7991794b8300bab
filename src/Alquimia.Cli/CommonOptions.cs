using System.CommandLine;
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

    public static Project Load(ParseResult parseResult, Option<string> projectOption) =>
        ProjectLoader.Load(parseResult.GetRequiredValue(projectOption));
}
