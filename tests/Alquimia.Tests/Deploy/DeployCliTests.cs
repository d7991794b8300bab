using Alquimia.Deploy.Databricks;
using Alquimia.Examples.Crm;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Deploy;

/// <summary><c>alquimia deploy databricks</c> in a child process, as a user runs it: what it writes, prints and exits with.</summary>
public sealed class DeployCliTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Deploy_WritesTheBundle_AndPrintsItsJobsTasksFilesAndTheNextCommands()
    {
        var project = DeployableProject.WriteTo(_directory.File("loja"));
        var output = _directory.File("bundle");

        var deploy = await CliProcess.RunAsync(["deploy", "databricks", "-p", project, "--out", output, "--target", "prod"]);

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        Assert.Empty(deploy.Error);
        Assert.Contains($"Wrote the Databricks bundle to {output} (default target prod):", deploy.Output, StringComparison.Ordinal);
        Assert.Contains("  job loja_daily: 5 task(s), 0 0 0 * * ? (UTC)", deploy.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n    test__gold__ft_vendas +src/tests/gold/ft_vendas\.sql  after gold__ft_vendas\n", deploy.Output);
        Assert.Matches(@"\n    curated__vw_vendas +src/curated/vw_vendas\.sql  after test__gold__ft_vendas\n", deploy.Output);
        Assert.Contains("  7 file(s): databricks.yml, resources/loja_daily.job.yml and the tasks' SQL under src/", deploy.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n  bronze\.pedidos +reads \$\{var\.landing_path\}/loja/pedidos/\n", deploy.Output);
        Assert.EndsWith(
            $"Next:\n  cd {output}\n  databricks bundle deploy -t prod --var warehouse_id=<id>\n  databricks bundle run -t prod loja_daily\n",
            deploy.Output, StringComparison.Ordinal);
        Assert.Equal(7, Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Count());
        Assert.Contains("  prod:\n    mode: production\n    default: true\n", File.ReadAllText(Path.Combine(output, "databricks.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_OfAProjectWithProblems_ExitsTwo_NamingEveryOne_AndWritesNothing()
    {
        var project = DeployableProject.WriteTo(_directory.File("loja"));
        BundleWriterTests.NotDeployable(project);
        var output = _directory.File("bundle");

        var deploy = await CliProcess.RunAsync(["deploy", "databricks", "-p", project, "--out", output]);

        Assert.Equal(2, deploy.ExitCode);
        Assert.Empty(deploy.Output);
        Assert.StartsWith("error: The Databricks bundle was not written (3 problems):\n", deploy.Error, StringComparison.Ordinal);
        Assert.Contains("\n  - silver.tb_pedido, line 1: * EXCLUDE has no Spark SQL form.", deploy.Error, StringComparison.Ordinal);
        Assert.Contains("\n  - gold.ft_vendas: DISTINCT ON has no Spark SQL form.", deploy.Error, StringComparison.Ordinal);
        Assert.Contains("\n  - Source 'loja', table pedidos: it has CSV files without a header line", deploy.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>The CRM example (seed 004), incremental, snapshot and expectations included, deploys whole.</summary>
    [Fact]
    public async Task Deploy_OfTheCrmExample_WritesATaskFilePerTaskOfItsJob()
    {
        var project = _directory.File("crm");
        CrmExample.WriteProjectTo(project);
        var output = _directory.File("bundle");

        var deploy = await CliProcess.RunAsync(["deploy", "databricks", "-p", project, "--out", output]);

        Assert.True(deploy.ExitCode == 0, deploy.Output + deploy.Error);
        var tasks = BundleJobs.Of(ProjectLoader.Load(project)).Single().Tasks;
        Assert.Contains($"  job crm_diario: {tasks.Count} task(s)", deploy.Output, StringComparison.Ordinal);
        Assert.All(tasks, task => Assert.True(File.Exists(Path.Combine(output, task.SqlFile)), task.SqlFile));
        Assert.Contains("MERGE INTO silver.action", File.ReadAllText(Path.Combine(output, "src/silver/action.sql")), StringComparison.Ordinal);
        Assert.Contains("COPY INTO bronze.action", File.ReadAllText(Path.Combine(output, "src/bronze/action.sql")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithoutOut_ExitsTwo_SayingWhatIsMissing()
    {
        var project = DeployableProject.WriteTo(_directory.File("loja"));

        var deploy = await CliProcess.RunAsync(["deploy", "databricks", "-p", project]);

        Assert.Equal(2, deploy.ExitCode);
        Assert.Contains("--out", deploy.Error, StringComparison.Ordinal);
    }
}
