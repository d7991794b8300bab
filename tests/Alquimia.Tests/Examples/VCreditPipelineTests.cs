using Alquimia.Tests.Orchestration;
using Alquimia.Warehouse.DuckDb;
using Alquimia.Examples.VCredit;
using Alquimia.Orchestration;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Examples;

/// <summary>The whole V-Credit project (seed 000) through the real runner on generated data.</summary>
public sealed class VCreditPipelineTests : IDisposable
{
    private static readonly VCreditGeneratorOptions OneDay = new() { Rows = 8_000, Days = 1, Seed = 11 };

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RerunningThePipelineOnTheSameInput_GivesIdenticalTables()
    {
        var project = NewProject("rerun");
        VCreditGenerator.Generate(project.LakePath, OneDay with { Days = 2 });
        await RunSucceeding(project);
        var first = Checksums(project, Layer.All.Select(layer => layer.Schema), withSnapshots: true);

        var second = await RunSucceeding(project);

        Assert.Equal(first, Checksums(project, Layer.All.Select(layer => layer.Schema), withSnapshots: true));
        Assert.Equal(0, second.Steps.Where(step => step.Materialization is "ingest" or "incremental" or "snapshot").Sum(step => step.RowsInserted + step.RowsUpdated));
        Assert.Equal(29 + 8, first.Count); // the relations of the project and the 8 silver *_invalidos tables
    }

    [Fact]
    public async Task DayOneThenDayTwoIncrementally_GivesTheSameGoldAndSilver_AsAFullRefreshOverBothDays()
    {
        var incremental = NewProject("incremental");
        VCreditGenerator.Generate(incremental.LakePath, OneDay);
        await RunSucceeding(incremental);
        VCreditGenerator.GenerateNextDay(incremental.LakePath, OneDay);
        var dayTwo = await RunSucceeding(incremental);

        var full = NewProject("full");
        CopyDirectory(Path.Combine(incremental.LakePath, "landing"), Path.Combine(full.LakePath, "landing"));
        await RunSucceeding(full, new RunOptions { FullRefresh = true });

        // The day-2 run did real incremental work: it merged updates and new rows rather than rebuilding.
        var chamados = dayTwo.Steps.Single(step => step.Model == "silver.tb_chamado");
        Assert.True(chamados.RowsUpdated > 0 && chamados.RowsInserted > 0, $"silver.tb_chamado: +{chamados.RowsInserted} ~{chamados.RowsUpdated}");
        // Snapshots record history as it was seen, which a full refresh cannot recreate; silver's ingestion times differ by run.
        string[] layers = ["silver", "gold", "curated"];
        var expected = Checksums(full, layers);
        var actual = Checksums(incremental, layers);
        Assert.Equal(expected.Keys, actual.Keys);
        Assert.All(expected, pair => Assert.True(pair.Value == actual[pair.Key], $"{pair.Key}: full refresh {pair.Value}, incremental {actual[pair.Key]}"));
    }

    private Project NewProject(string name)
    {
        var directory = Path.Combine(_directory.Path, name);
        VCreditExample.WriteProjectTo(directory);
        return ProjectLoader.Load(directory);
    }

    private static async Task<RunSummary> RunSucceeding(Project project, RunOptions? options = null)
    {
        var summary = await Runs.RunAsync(project, options ?? new RunOptions());
        Assert.True(summary.Succeeded, string.Join("; ", summary.Steps.Where(step => step.Error is not null).Select(step => $"{step.Model}: {step.Error}")));
        return summary;
    }

    /// <summary>Row count and an order-independent checksum of every table and view in the layers, without ingestion and quarantine metadata, and snapshots.</summary>
    private static Dictionary<string, string> Checksums(Project project, IEnumerable<string> schemas, bool withSnapshots = false)
    {
        using var connection = new CheckedConnection($"Data Source={project.WarehousePath};Memory Limit=2GB");
        connection.Open();
        var relations = connection.Query(
            $"""
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_schema IN ({string.Join(", ", schemas.Select(schema => $"'{schema}'"))}) {(withSnapshots ? "" : "AND table_name <> 'dm_atendente_historico'")}
            ORDER BY 1
            """,
            reader => reader.GetString(0));
        return relations.ToDictionary(
            relation => relation,
            relation => connection.Scalar<string>(
                $"""
                SELECT count(*) || ' rows, ' || coalesce(sum(hash(row) % 1000000007), 0) || ', ' || coalesce(bit_xor(hash(row)), 0)
                FROM (SELECT COLUMNS(c -> c NOT IN ('_ingestion_timestamp', '_batch_id', '_run_id', '_quarantined_at', '_loaded_at')) FROM {relation}) AS row
                """)!,
            StringComparer.Ordinal);
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
