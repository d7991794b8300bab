using Alquimia.Warehouse.DuckDb;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Tests.Projects;
using Alquimia.Warehouse;

namespace Alquimia.Tests.Orchestration;

/// <summary>
/// A real crash: the CLI in a child process is killed (Environment.FailFast, no cleanup) after a model wrote its
/// data and its records but before it committed. The warehouse must come back as it was before that model.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public CrashRecoveryTests()
    {
        _folder
            .Write("alquimia.yml", "name: teste\nmax_parallelism: 1\n")
            .Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n")
            .Write("lake/landing/loja/pedidos/ingestion_date=2026-01-01/a.csv", "id_pedido,valor\n1,10\n2,20\n")
            .Write("models/silver/tb_pedido.sql", """
                /* ---
                materialized: incremental
                unique_key: id_pedido
                watermark: _ingestion_timestamp
                --- */
                SELECT id_pedido, valor, _ingestion_timestamp FROM bronze.pedidos
                """)
            .Write("models/gold/ft_total.sql", "SELECT count(*) AS pedidos, sum(valor) AS total FROM silver.tb_pedido");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CrashBetweenAModelsWriteAndItsCommit_LeavesThatModelAsBefore_AndTheNextRunCompletesIt()
    {
        var first = await Run();
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        _folder.Write("lake/landing/loja/pedidos/ingestion_date=2026-01-02/b.csv", "id_pedido,valor\n3,30\n");

        var crashed = await Run(crashBefore: "gold.ft_total");

        Assert.NotEqual(0, crashed.ExitCode);
        Assert.Contains("crashing before gold.ft_total commits", crashed.Error, StringComparison.Ordinal);
        var project = _folder.Load();
        // Steps that committed before the crash kept their work; the crashed one left neither data nor a record.
        Assert.Equal(["3"], Query(project, "SELECT count(*) FROM silver.tb_pedido"));
        Assert.Equal(["2|30"], Query(project, "SELECT pedidos, total FROM gold.ft_total"));
        Assert.Equal(["1"], Query(project, "SELECT count(*) FROM _alquimia.model_runs WHERE model = 'gold.ft_total'"));
        Assert.Equal(["running"], Query(project, "SELECT status FROM _alquimia.runs ORDER BY started_at DESC LIMIT 1"));
        // Status does not show the dead run as running with nothing done: no process writes it, and its committed steps count.
        var dead = Runs.Status(project).Runs[0];
        Assert.Equal(RunStatus.Interrupted, dead.Status);
        Assert.Equal(Query(project, $"SELECT count(*) FROM _alquimia.model_runs WHERE run_id = '{dead.RunId}' AND status IN ('succeeded', 'warning')")[0], dead.ModelsSucceeded.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(dead.ModelsSucceeded > 0);

        var next = await Run();

        Assert.True(next.ExitCode == 0, next.Output + next.Error);
        Assert.Equal(["3|60"], Query(project, "SELECT pedidos, total FROM gold.ft_total"));
        Assert.Equal(["succeeded", "interrupted", "succeeded"], Query(project, "SELECT status FROM _alquimia.runs ORDER BY started_at"));
    }

    private Task<CliResult> Run(string? crashBefore = null) =>
        CliProcess.RunAsync(
            ["run", "--project", _folder.Path],
            environment: crashBefore is null ? null : new Dictionary<string, string> { ["ALQUIMIA_CRASH_BEFORE_COMMIT"] = crashBefore });

    private static List<string> Query(Project project, string sql) => WarehouseRows.Of(project.WarehousePath, sql);
}
