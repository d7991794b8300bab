using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Operations;
using Alquimia.Server;
using Alquimia.Serving;
using Alquimia.Warehouse;
using Spectre.Console;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia query "SQL"</c> and <c>alquimia show layer.table</c>: look at the data without writing a program, on the
/// warehouse opened read-only, printed as a table, CSV or JSON.
/// </summary>
internal static class QueryCommand
{
    public static Command CreateQuery()
    {
        var project = CommonOptions.Project();
        var sql = new Argument<string>("sql") { Description = "One SELECT, e.g. \"SELECT status, count(*) FROM silver.tb_chamado GROUP BY ALL\"." };
        var limit = new Option<int?>("--limit") { Description = "At most this many rows (default: all)." };
        var format = Format();
        var command = new Command("query", "Run one SELECT on the warehouse, read-only, and print its rows.") { project, sql, limit, format };
        SetPrinting(command, project, format, (parseResult, asJson) => new QueryRequest(parseResult.GetRequiredValue(sql), null, parseResult.GetValue(limit), asJson));
        return command;
    }

    public static Command CreateShow()
    {
        var project = CommonOptions.Project();
        var relation = new Argument<string>("relation") { Description = "A table or view as layer.name, e.g. gold.ft_atendimento_geral." };
        var limit = new Option<int>("--limit") { Description = "At most this many rows.", DefaultValueFactory = _ => 20 };
        var format = Format();
        var command = new Command("show", "Print the first rows of a table or view, read-only.") { project, relation, limit, format };
        SetPrinting(command, project, format, (parseResult, asJson) => new QueryRequest(null, parseResult.GetRequiredValue(relation), parseResult.GetValue(limit), asJson));
        return command;
    }

    /// <summary>
    /// The command runs the query on the warehouse opened read-only (or through the server that owns it) and prints
    /// the rows in the chosen format.
    /// </summary>
    private static void SetPrinting(Command command, Option<string> project, Option<string> format, Func<ParseResult, bool, QueryRequest> request) =>
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var chosen = parseResult.GetValue(format)!;
            var query = request(parseResult, chosen == "json");
            var result = await WarehouseReads.ReadAsync(
                CommonOptions.Load(parseResult, project), "the query", query.RunOn, client => client.QueryAsync(query, cancellationToken)).ConfigureAwait(false);
            if (result is null)
            {
                return ExitCodes.Invalid;
            }

            Print(result, chosen);
            return ExitCodes.Success;
        }));

    private static Option<string> Format()
    {
        var format = new Option<string>("--format") { Description = "table (the default), csv, or json (one array of typed rows).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        return format;
    }

    private static void Print(WarehouseQuery result, string format)
    {
        switch (format)
        {
            case "json":
                Console.WriteLine("[" + string.Join(",\n", result.Rows.Select(row => row[0])) + "]");
                break;
            case "csv":
                Console.Write(Csv.Write(result.Columns.Select(column => column.Name), result.Rows));

                break;
            default:
                var table = new Table().Border(TableBorder.Rounded);
                foreach (var (name, type) in result.Columns)
                {
                    table.AddColumn($"{Markup.Escape(name)}\n[grey]{Markup.Escape(type)}[/]");
                }

                foreach (var row in result.Rows)
                {
                    table.AddRow([.. row.Select(value => value is null ? "[grey]NULL[/]" : Markup.Escape(value))]);
                }

                Terminal.Write(table);
                Terminal.WriteLine($"{result.Rows.Count} row(s)");
                break;
        }
    }
}
