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
    CdcCommand.Create(),
    RunCommand.Create(),
    IngestCommand.Create(),
    LsCommand.Create(),
    GraphCommand.Create(),
    LineageCommand.Create(),
    StatusCommand.Create(),
    JobsCommand.Create(),
    BackfillCommand.Create(),
    ServeCommand.Create(),
    TestCommand.Create(),
    QualityCommand.Create(),
    QueryCommand.CreateQuery(),
    QueryCommand.CreateShow(),
    GenerateCommand.Create(),
    DemoCommand.Create(),
    DeployCommand.Create(),
};
root.Options.Add(CliLogging.Verbose);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // System.CommandLine exits 1 on a bad command line, the code of a failed model: say what is wrong, exit 2.
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    var command = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ";
    Console.Error.WriteLine($"Run `alquimia {command}--help` for its usage.");
    return ExitCodes.Invalid;
}

return await parsed.InvokeAsync();
