using Alquimia.Bench;
using Alquimia.Ingestion.Postgres;

// As the CLI does, before any socket is opened: the benchmarks measure what `alquimia` does.
InlineSocketCompletions.Enable();

// Parses the command line and runs the benchmarks it names; each benchmark prints its own figures.
IBenchmark[] benchmarks = [new DuckDbBindingBenchmark(), new PipelineBenchmark(), new PostgresIngestionBenchmark(), new CsvIngestionBenchmark(), new ServerBenchmark(), new ServingBenchmark(), new DeployBenchmark(), new MySqlIngestionBenchmark(), new CdcBenchmark()];

if (!BenchmarkOptions.TryParse(args, out var selected, out var options, out var error))
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchmarkOptions.Usage(benchmarks));
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(BenchmarkOptions.Usage(benchmarks));
    return 0;
}

var toRun = selected == "all" ? benchmarks : benchmarks.Where(benchmark => benchmark.Name == selected).ToArray();
if (toRun.Length == 0)
{
    Console.Error.WriteLine($"error: there is no benchmark named '{selected}'.");
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchmarkOptions.Usage(benchmarks));
    return 2;
}

MachineInfo.Print(options);
var load = MachineLoad.Start();
foreach (var benchmark in toRun)
{
    benchmark.Run(options);
}

Console.WriteLine($"Load average at the end: {MachineInfo.LoadAverage()}.");
if (load.Describe() is { } description)
{
    Console.WriteLine(description);
}

return 0;
