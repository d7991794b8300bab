using System.CommandLine;
using Alquimia.Cli;
using Alquimia.Ingestion.Postgres;

// Before any socket is opened: see InlineSocketCompletions for why.
InlineSocketCompletions.Enable();

// The `alquimia` command: parses arguments, calls the library, renders. No pipeline logic lives here.
var root = new RootCommand("Alquimia: a lakehouse pipeline engine on an embedded DuckDB warehouse.")
{
    InitCommand.Create(),
    SetupCommand.Create(),
    RunCommand.Create(),
    IngestCommand.Create(),
    LsCommand.Create(),
    GraphCommand.Create(),
    StatusCommand.Create(),
    TestCommand.Create(),
    QualityCommand.Create(),
    GenerateCommand.Create(),
    DemoCommand.Create(),
};
root.Options.Add(CliLogging.Verbose);

return await root.Parse(args).InvokeAsync();
