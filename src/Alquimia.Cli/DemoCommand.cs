using System.CommandLine;
using Alquimia.Warehouse;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia demo</c>: opens (or creates) a demo warehouse, lays out the medallion layers, and shows what is there.
/// The V-Credit demo pipeline will run here once the pipeline exists.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var warehouseOption = new Option<string>("--warehouse")
        {
            Description = "The warehouse file to open or create.",
            DefaultValueFactory = _ => Path.Combine("alquimia-demo", "warehouse.duckdb"),
        };
        var command = new Command("demo", "Open a demo warehouse, create its layers, and show them.") { warehouseOption };
        command.SetAction(parseResult => CliErrors.Run(() => Run(parseResult.GetRequiredValue(warehouseOption))));
        return command;
    }

    private static int Run(string warehousePath)
    {
        using var warehouse = EmbeddedWarehouse.Open(warehousePath);
        warehouse.EnsureLayers();

        Console.WriteLine($"Alquimia on DuckDB {warehouse.EngineVersion}");
        Console.WriteLine($"Warehouse: {warehouse.Path}");
        Console.WriteLine();
        Console.WriteLine($"{"layer",-10} {"tables",6} {"views",6}  holds");
        foreach (var summary in warehouse.DescribeLayers())
        {
            Console.WriteLine($"{summary.Layer.Schema,-10} {summary.Tables,6} {summary.Views,6}  {summary.Layer.Description}");
        }

        return ExitCodes.Success;
    }
}
