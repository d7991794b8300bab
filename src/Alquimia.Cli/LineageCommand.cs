using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alquimia.Lineage;
using Alquimia.Projects;
using Alquimia.Warehouse;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia lineage layer.table[.column]</c>: where a table or a column comes from, down to the source tables, and
/// where it goes, from the project's files (and the warehouse's catalog, read-only, when there is one to expand <c>*</c>).
/// </summary>
internal static class LineageCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var name = new Argument<string>("name") { Description = "A table as layer.table (gold.ft_atendimento_geral) or a column as layer.table.column (gold.ft_atendimento_geral.tma_minutos)." };
        var json = new Option<bool>("--json") { Description = "Print the lineage as JSON: upstream and downstream trees, and what could not be resolved." };
        var command = new Command("lineage", "Show where a table or a column comes from (down to the source tables) and where it goes.") { project, name, json };
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            var loaded = CommonOptions.Load(parseResult, project);
            var lineage = Build(loaded);
            var trace = new LineageTrace(lineage);
            var (table, column) = trace.Parse(parseResult.GetRequiredValue(name));
            var upstream = trace.Upstream(table, column);
            var downstream = trace.Downstream(table, column);
            var unresolved = Names(upstream).Concat(Names(downstream)).Distinct()
                .Select(QualifiedName.TryParse).OfType<QualifiedName>()
                .Where(lineage.Models.ContainsKey)
                .SelectMany(model => lineage.Models[model].Unresolved.Select(note => $"{model}: {note}"))
                .Distinct().ToList();
            Console.Write(parseResult.GetValue(json) ? Json(upstream, downstream, unresolved) : Text(upstream, downstream, unresolved));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The project's lineage, with the warehouse's catalog when the file is there and free to read.</summary>
    private static ProjectLineage Build(Project project)
    {
        if (!File.Exists(project.WarehousePath))
        {
            return ProjectLineage.Build(project);
        }

        try
        {
            using var warehouse = EmbeddedWarehouse.Open(project, readOnly: true);
            return ProjectLineage.Build(project, ProjectLineage.CatalogOf(warehouse));
        }
        catch (DatabaseHeldException)
        {
            // Another process writes it (a run, alquimia serve): the project's files say enough.
            return ProjectLineage.Build(project);
        }
    }

    private static IEnumerable<string> Names(LineageTreeNode node) =>
        node.Children.SelectMany(Names).Prepend(node.Name.Split('.') is [var schema, var table, ..] ? $"{schema}.{table}" : node.Name);

    private static string Text(LineageTreeNode upstream, LineageTreeNode downstream, List<string> unresolved)
    {
        var text = new StringBuilder();
        text.AppendLine($"{upstream.Name} ({upstream.Kind})");
        text.AppendLine("comes from:");
        Tree(text, upstream.Children, "  ", "nothing: it reads no table");
        text.AppendLine("goes to:");
        Tree(text, downstream.Children, "  ", "nothing reads it");
        if (unresolved.Count > 0)
        {
            text.AppendLine("not resolved:");
            foreach (var note in unresolved)
            {
                text.AppendLine($"  {note}");
            }
        }

        return text.ToString();
    }

    private static void Tree(StringBuilder text, IReadOnlyList<LineageTreeNode> nodes, string indent, string? none = null)
    {
        if (nodes.Count == 0 && none is not null)
        {
            text.AppendLine($"{indent}({none})");
        }

        for (var index = 0; index < nodes.Count; index++)
        {
            var last = index == nodes.Count - 1;
            var node = nodes[index];
            var how = node.How is null ? "" : $"  {node.How}";
            text.AppendLine($"{indent}{(last ? "└── " : "├── ")}{node.Name}{how}  ({node.Kind})");
            Tree(text, node.Children, indent + (last ? "    " : "│   "));
        }
    }

    private static string Json(LineageTreeNode upstream, LineageTreeNode downstream, List<string> unresolved)
    {
        var root = new JsonObject
        {
            ["name"] = upstream.Name,
            ["kind"] = upstream.Kind,
            ["upstream"] = new JsonArray([.. upstream.Children.Select(Node)]),
            ["downstream"] = new JsonArray([.. downstream.Children.Select(Node)]),
            ["unresolved"] = new JsonArray([.. unresolved.Select(note => (JsonNode)JsonValue.Create(note))]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;

        static JsonNode Node(LineageTreeNode node) => new JsonObject
        {
            ["name"] = node.Name,
            ["kind"] = node.Kind,
            ["how"] = node.How,
            ["children"] = new JsonArray([.. node.Children.Select(Node)]),
        };
    }
}
