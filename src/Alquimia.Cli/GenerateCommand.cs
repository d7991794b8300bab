using System.CommandLine;
using Alquimia.Examples.Ecommerce;
using Alquimia.Examples.Radar;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia generate</c>: writes V-Credit landing data, deterministic for a seed, with bad and late rows (or its
/// tables into PostgreSQL); with <c>--example radar</c>, seed 003's Radar database into a MySQL or MariaDB server; with
/// <c>--example ecommerce</c>, a day of seed 002's shop: customers and products changed in PostgreSQL, orders landed as files.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var lake = new Option<string?>("--lake") { Description = "The lake folder to write landing/ into (default: the project's lake)." };
        var rows = new Option<long>("--rows") { Description = "Chamados in total over the days.", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<long>("--seed") { Description = "The same seed and options write the same data.", DefaultValueFactory = _ => 42 };
        var days = new Option<int>("--days") { Description = "Days of data, one landing partition each.", DefaultValueFactory = _ => 30 };
        var start = new Option<string>("--start") { Description = "The first day (YYYY-MM-DD).", DefaultValueFactory = _ => "2026-01-01" };
        var badShare = new Option<double>("--bad-share") { Description = "Share of bad rows: orphan keys, closed before opened, unknown status, negative cost, duplicate ids.", DefaultValueFactory = _ => 0.02 };
        var lateShare = new Option<double>("--late-share") { Description = "Share of rows that arrive a day or more late.", DefaultValueFactory = _ => 0.01 };
        var nextDay = new Option<bool>("--next-day") { Description = "Append the day after the newest one already in the lake (or database): new chamados, updates of earlier ones, late rows." };
        var to = new Option<string?>("--to")
        {
            Description = "Write the 8 source tables into this PostgreSQL database instead of landing files: a postgres://user:password@host:port/db URL or an Npgsql connection string.",
        };
        var schema = new Option<string>("--schema") { Description = "With --to: the tables' schema (created when missing).", DefaultValueFactory = _ => "public" };
        var example = new Option<string>("--example")
        {
            Description = "vcredit (seed 000, the default), radar (seed 003: its 82 tables into the MySQL or MariaDB server --to names, --rows stores' worth, into the database radar) "
                + "or ecommerce (seed 002: one day at a time, customers and products into the PostgreSQL database --to names, default ${ECOMMERCE_POSTGRES}, "
                + "and that day's orders as JSON files into the lake; --rows orders a day, default 300; --next-day for each day after the first).",
            DefaultValueFactory = _ => "vcredit",
        };
        example.AcceptOnlyFromAmong("vcredit", "radar", "ecommerce");
        var command = new Command("generate", "Write V-Credit landing data (Parquet) for the example project, or its source tables into PostgreSQL (--to).")
        {
            project, lake, rows, seed, days, start, badShare, lateShare, nextDay, to, schema, example,
        };
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            if (parseResult.GetValue(example) == "radar")
            {
                var server = parseResult.GetValue(to) ?? throw new AlquimiaException(
                    "alquimia generate --example radar writes into a MySQL or MariaDB server: give it with --to \"Server=…;User ID=…;Password=…\" (scripts/mariadb.sh start prints one).");
                Console.WriteLine(RadarGenerator.Generate(server, parseResult.GetValue(rows)));
                return ExitCodes.Success;
            }

            if (parseResult.GetValue(example) == "ecommerce")
            {
                var shop = new EcommerceGeneratorOptions
                {
                    Seed = parseResult.GetValue(seed),
                    StartDate = DateOnly.ParseExact(parseResult.GetRequiredValue(start), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Schema = parseResult.GetRequiredValue(schema),
                };
                // --rows is the V-Credit chamados' count by default: only a --rows given says how many orders a day.
                shop = parseResult.GetResult(rows) is { Implicit: false } ? shop with { OrdersPerDay = checked((int)parseResult.GetValue(rows)) } : shop;
                var shopDatabase = parseResult.GetValue(to) ?? $"${{{EcommerceExample.ConnectionVariable}}}";
                var shopLake = parseResult.GetValue(lake) ?? LakeOf(parseResult.GetRequiredValue(project));
                var day = parseResult.GetValue(nextDay)
                    ? EcommerceGenerator.GenerateNextDay(shopDatabase, shopLake, shop)
                    : EcommerceGenerator.Generate(shopDatabase, shopLake, shop);
                Console.WriteLine($"Wrote schema {shop.Schema} of {EcommerceGenerator.DescribePostgres(shopDatabase)} and {shopLake}:");
                Console.WriteLine(day);
                return ExitCodes.Success;
            }

            var options = new VCreditGeneratorOptions
            {
                Rows = parseResult.GetValue(rows),
                Seed = parseResult.GetValue(seed),
                Days = parseResult.GetValue(days),
                StartDate = DateOnly.ParseExact(parseResult.GetRequiredValue(start), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                BadRowShare = parseResult.GetValue(badShare),
                LateRowShare = parseResult.GetValue(lateShare),
            };
            if (parseResult.GetValue(to) is { } database)
            {
                var tablesSchema = parseResult.GetRequiredValue(schema);
                var written = parseResult.GetValue(nextDay)
                    ? VCreditGenerator.GenerateNextDayToPostgres(database, options, tablesSchema)
                    : VCreditGenerator.GenerateToPostgres(database, options, tablesSchema);
                Console.WriteLine($"Wrote schema {tablesSchema} of {VCreditGenerator.DescribePostgres(database)}:");
                Console.WriteLine(written);
                return ExitCodes.Success;
            }

            var lakePath = parseResult.GetValue(lake) ?? LakeOf(parseResult.GetRequiredValue(project));
            var summary = parseResult.GetValue(nextDay) ? VCreditGenerator.GenerateNextDay(lakePath, options) : VCreditGenerator.Generate(lakePath, options);
            Console.WriteLine($"Wrote {lakePath}:");
            Console.WriteLine(summary);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string LakeOf(string projectDirectory) =>
        File.Exists(Path.Combine(projectDirectory, "alquimia.yml")) ? ProjectLoader.Load(projectDirectory).LakePath : Path.Combine(projectDirectory, "lake");
}
