using System.CommandLine;
using Alquimia.Cli.Rendering;
using Alquimia.Ingestion;
using Alquimia.Orchestration;
using Alquimia.Server;
using Alquimia.Warehouse;
using Microsoft.Extensions.Logging;

namespace Alquimia.Cli;

/// <summary>
/// <c>alquimia ingest</c>: the ingestion level of a run alone, every source or one source or table: database tables
/// are extracted into landing files, and new landing files go into bronze; it ends with a table of each sync.
/// <c>--replay</c> rebuilds bronze from the landing files instead, without contacting the sources.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var source = new Option<string?>("--source") { Description = "Only this source's tables." };
        var table = new Option<string?>("--table") { Description = "Only this table (its bronze name without the schema, e.g. chamados)." };
        var replay = new Option<bool>("--replay")
        {
            Description = "Rebuild bronze from the landing files alone, one transaction per table, without contacting the sources: "
                + "each selected table is emptied and every landing file loaded again.",
        };
        var command = new Command("ingest", "Extract the database sources into landing files and load new landing files into bronze, without building models.")
        {
            project, source, table, replay,
        };
        command.SetAction((parseResult, _) => CliErrors.RunAsync(async () =>
        {
            // Discovered here too, so that --table can name a table that only `tables: all` finds (in the lake, for a replay).
            var replaying = parseResult.GetValue(replay);
            var loaded = CommonOptions.Load(parseResult, project);
            loaded = replaying ? SourceDiscovery.DiscoverLanded(loaded) : SourceDiscovery.Discover(loaded);
            var (wantedSource, wantedTable) = (parseResult.GetValue(source), parseResult.GetValue(table));
            // By name, not as a selector: a selector cannot spell a table named "My Table".
            // A replay of everything leaves out the sources that land without loading (bronze: false): they have no bronze to
            // rebuild. Named, they are replayed, and refuse it with the fix.
            var tables = loaded.Sources
                .Where(candidate => wantedSource is null || candidate.Name == wantedSource)
                .Where(candidate => !replaying || candidate.LoadsBronze || wantedSource is not null || wantedTable is not null)
                .SelectMany(candidate => candidate.Tables)
                .Where(candidate => wantedTable is null || candidate.Name == wantedTable)
                .Select(candidate => candidate.BronzeName)
                .ToList();
            if (tables.Count == 0 && replaying && loaded.Sources.Count > 0 && loaded.Sources.All(candidate => !candidate.LoadsBronze))
            {
                throw new AlquimiaException(
                    $"Nothing to replay: every source lands its tables without loading them (bronze: false), so there is no bronze to rebuild. "
                    + "Remove 'bronze: false' from a source to have bronze: its next sync loads every batch landed so far.");
            }

            if (tables.Count == 0)
            {
                throw new AlquimiaException(
                    $"No source table matches{Describe(wantedSource, wantedTable)}. The sources are: {string.Join(", ", loaded.Sources.Select(candidate => candidate.Name))}.");
            }

            if (ServerFile.Find(loaded) is { } server)
            {
                // The server runs the same steps; `alquimia quality` shows what each sync landed and loaded.
                var asked = new RemoteRunOptions(null, null) { Steps = [.. tables.Select(name => name.ToString())], Replay = replaying };
                return await RunCommand.RunOnServerAsync(server, asked, [null]).ConfigureAwait(false);
            }

            var options = new RunOptions { Steps = tables, Replay = replaying, Faults = RunCommand.FaultsFromEnvironment() };
            using var loggers = CliLogging.Create(parseResult);
            using var warehouse = EmbeddedWarehouse.Open(loaded);
            var runner = new PipelineRunner(warehouse, TimeProvider.System, loggers.CreateLogger<PipelineRunner>());
            return await RunCommand.RunAsync(runner, loaded, options, summary => IngestSummaryView.Write(loaded, summary)).ConfigureAwait(false);
        }));
        return command;
    }

    private static string Describe(string? source, string? table) =>
        (source is null ? "" : $" --source {source}") + (table is null ? "" : $" --table {table}");
}
