using System.CommandLine;
using Alquimia.Graph;

namespace Alquimia.Cli;

/// <summary><c>alquimia graph</c>: the plan's levels as text, or the dependency graph as a Mermaid flowchart.</summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var select = CommonOptions.Select();
        var format = new Option<string>("--format") { Description = "text (levels) or mermaid (a flowchart for docs and PRs).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "mermaid");
        var command = new Command("graph", "Show the dependency graph: levels in text, or --format mermaid.") { project, select, format };
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            var graph = new PipelineGraph(CommonOptions.Load(parseResult, project)).Select(parseResult.GetValue(select));
            Console.Write(parseResult.GetValue(format) == "mermaid" ? GraphText.Mermaid(graph) : GraphText.Levels(graph));
            return ExitCodes.Success;
        }));
        return command;
    }
}
