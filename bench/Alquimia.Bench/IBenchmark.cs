namespace Alquimia.Bench;

/// <summary>One benchmark, run as a subcommand: <c>dotnet run -c Release --project bench/Alquimia.Bench -- name</c>.</summary>
internal interface IBenchmark
{
    /// <summary>The subcommand, e.g. <c>binding</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs every measurement and prints its tables to stdout.</summary>
    void Run(BenchmarkOptions options);
}
