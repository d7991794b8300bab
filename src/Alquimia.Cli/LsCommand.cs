using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Graph;
using Alquimia.Projects;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary><c>alquimia ls</c>: the project's source tables and models with their layer, materialization and upstreams.</summary>
internal static class LsCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var select = CommonOptions.Select();
        var command = new Command("ls", "List source tables and models: layer, materialization, upstreams.") { project, select };
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            var graph = new PipelineGraph(CommonOptions.Load(parseResult, project)).Select(parseResult.GetValue(select));
            var table = new Table().Border(TableBorder.Rounded).AddColumn("name").AddColumn("layer").AddColumn("materialized").AddColumn("upstreams").AddColumn("tags");
            foreach (var node in graph.Levels.SelectMany(level => level))
            {
                var (materialized, tags) = node switch
                {
                    ModelNode model => (model.Model.Config.Materialized.ConfigName(), string.Join(", ", model.Model.Config.Tags)),
                    SourceTableNode source => ($"source {source.Source.Name}", ""),
                    _ => ("", ""),
                };
                var upstreams = node is ModelNode withSql ? string.Join(", ", withSql.Model.References) : "";
                table.AddRow(Markup.Escape(node.Name.ToString()), node.Name.Schema, materialized, Markup.Escape(upstreams), Markup.Escape(tags));
            }

            Terminal.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
