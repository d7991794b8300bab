using System.Text.RegularExpressions;
using Alquimia.Deploy.Databricks;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// The examples' bundles as <c>alquimia deploy databricks</c> writes them: V-Credit and CRM deploy and validate clean
/// (the YAML against the bundle schema, every statement of every SQL file by Spark's grammar or, for Databricks' own
/// statements, by its form), and V-Credit's bundle is shown by golden files: its YAML and one SQL file of each kind of
/// task. Set ALQUIMIA_UPDATE_GOLDEN=1 to write the golden files again from the deploy, then read the diff.
/// </summary>
public sealed partial class ExampleBundlesTests : IDisposable
{
    private static readonly string GoldenFolder = RepoRoot.File("tests/Alquimia.Tests/TestData/DatabricksBundle/vcredit");

    /// <summary>One file of each kind of task: a source's landing, an incremental model with quarantine, one on
    /// <c>_loaded_at</c>, a snapshot, the fact, a delete_insert, a view, data tests and maintenance.</summary>
    private static readonly string[] GoldenFiles =
    [
        "databricks.yml",
        "resources/vcredit_diario.job.yml",
        "src/bronze/chamados.sql",
        "src/silver/tb_chamado.sql",
        "src/gold/dm_cliente.sql",
        "src/gold/dm_atendente_historico.sql",
        "src/gold/ft_atendimento_geral.sql",
        "src/gold/ft_custo_operacional.sql",
        "src/curated/vw_kpis_diarios.sql",
        "src/tests/gold/ft_atendimento_geral.sql",
        "src/maintenance/silver/tb_chamado.sql",
    ];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("vcredit")]
    [InlineData("crm")]
    public void TheExample_DeploysAndValidatesClean(string example)
    {
        var bundle = Deploy(example);

        var yaml = bundle.Files.Where(file => file.EndsWith(".yml", StringComparison.Ordinal)).Select(file => (Name: file, Yaml: File.ReadAllText(Path.Combine(bundle.Directory, file)))).ToList();
        Assert.All(yaml, file => Assert.Empty(BundleSchema.Errors(file.Yaml)));
        Assert.All(BundleSchema.OfficialErrors(yaml), result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
        var statements = bundle.Files.Where(file => file.EndsWith(".sql", StringComparison.Ordinal))
            .SelectMany(file => Statements(File.ReadAllText(Path.Combine(bundle.Directory, file))).Select((sql, i) => (Name: $"{file}#{i}", Sql: sql)))
            .ToList();
        // Databricks' own statements, which Spark's open-source grammar predates, checked by their form.
        var byForm = statements.Where(statement => DatabricksOnly().IsMatch(statement.Sql)).ToList();
        Assert.Contains(byForm, statement => statement.Sql.StartsWith("SET VAR alquimia_watermark", StringComparison.Ordinal));
        Assert.Contains(byForm, statement => statement.Sql.StartsWith("EXECUTE IMMEDIATE", StringComparison.Ordinal));
        var errors = SparkSqlSyntax.Errors(statements.Except(byForm).Select(statement => (statement.Name, ClusterBy().Replace(statement.Sql, "\n"))));

        // Every table a statement names is one the bundle creates: a model, a source's bronze table, a quarantine, a
        // scratch table of checked rows.
        var project = ProjectLoader.Load(Path.Combine(_directory.Path, example));
        var created = project.Models.Select(model => model.Name.ToString())
            .Concat(project.Models.Where(model => model.Config.Quarantines).Select(model => $"{model.Name}_invalidos"))
            .Concat(project.Models.Where(model => model.Config.Expectations.Count > 0).Select(model => $"_alquimia.{model.Name.Schema}__{model.Name.Name}__checked"))
            .Concat(project.SourceTables.Select(source => $"bronze.{source.Table.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var named = statements.SelectMany(statement => TableReference().Matches(statement.Sql).Select(match => (statement.Name, Table: match.Value))).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, reference => Assert.True(created.Contains(reference.Table), $"{reference.Name} names {reference.Table}, which the bundle does not create"));
        Assert.Equal(bundle.Jobs.Sum(job => job.Tasks.Count) + 1 + bundle.Jobs.Count, bundle.Files.Count);
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
    }

    /// <summary>
    /// The check against Databricks' own schema can fail: a retry count on the job instead of its tasks, a misspelled
    /// key, a schedule without its required time zone. (Its enums, which also take a ${var.…}, are typed as strings.)
    /// </summary>
    [Fact]
    public void DatabricksOwnSchema_RefusesWhatTheCliWouldRefuse()
    {
        var job = File.ReadAllText(Path.Combine(Deploy("crm").Directory, "resources", "crm_diario.job.yml"));
        var broken = new Dictionary<string, string>
        {
            ["job_retries"] = job.Replace("      max_concurrent_runs: 1\n", "      max_concurrent_runs: 1\n      max_retries: 2\n", StringComparison.Ordinal),
            ["misspelled"] = job.Replace("warehouse_id: ${var.warehouse_id}", "warehouse: ${var.warehouse_id}", StringComparison.Ordinal),
            ["no_time_zone"] = job.Replace("        timezone_id: America/Sao_Paulo\n", "", StringComparison.Ordinal),
            ["valid"] = job,
        };
        Assert.All(broken.Where(pair => pair.Key != "valid"), pair => Assert.NotEqual(job, pair.Value));

        var errors = BundleSchema.OfficialErrors(broken.Select(pair => (pair.Key, pair.Value)));

        Assert.Contains("'\"max_retries\"' does not exist", Assert.Single(errors["job_retries"]), StringComparison.Ordinal);
        Assert.Contains("'\"warehouse\"' does not exist", errors["misspelled"][0], StringComparison.Ordinal);
        Assert.Contains("'timezone_id' is missing", Assert.Single(errors["no_time_zone"]), StringComparison.Ordinal);
        Assert.Empty(errors["valid"]);
    }

    /// <summary>V-Credit's bundle, file by file against the golden ones; the list of every file it writes too.</summary>
    [Fact]
    public void TheVCreditBundle_IsTheGoldenOne()
    {
        var bundle = Deploy("vcredit");
        var listed = string.Join("\n", bundle.Files) + "\n";
        if (Environment.GetEnvironmentVariable("ALQUIMIA_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(GoldenFolder);
            File.WriteAllText(Path.Combine(GoldenFolder, "files.txt"), listed);
            foreach (var file in GoldenFiles)
            {
                var golden = Path.Combine(GoldenFolder, file);
                Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
                File.Copy(Path.Combine(bundle.Directory, file), golden, overwrite: true);
            }
        }

        Assert.Equal(File.ReadAllText(Path.Combine(GoldenFolder, "files.txt")), listed);
        Assert.All(GoldenFiles, file => Assert.Equal(
            File.ReadAllText(Path.Combine(GoldenFolder, file)), File.ReadAllText(Path.Combine(bundle.Directory, file))));
    }

    private WrittenBundle Deploy(string example)
    {
        var project = example == "vcredit" ? ExampleProjects.VCredit(_directory.Path) : ExampleProjects.Crm(_directory.Path);
        return BundleWriter.Write(project, Path.Combine(_directory.Path, example + "-bundle"));
    }

    /// <summary>A task file's statements: after its header comment, separated by a semicolon and a blank line.</summary>
    private static List<string> Statements(string file)
    {
        var body = file[(file.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        Assert.EndsWith(";\n", body, StringComparison.Ordinal);
        return [.. body[..^2].Split(";\n\n")];
    }

    [GeneratedRegex(@"^(USE CATALOG IDENTIFIER\(:catalog\)|DECLARE OR REPLACE VARIABLE alquimia_[a-z_]+ [A-Z_]+|SET VAR alquimia_watermark = \(SELECT max\([a-z_]+\)( - INTERVAL \d+ [A-Z]+)? FROM [a-z]+\.[a-z_]+\)|EXECUTE IMMEDIATE alquimia_copy_into|OPTIMIZE [a-z]+\.[a-z_]+|VACUUM [a-z]+\.[a-z_]+)$|^SET VAR alquimia_copy_into = concat\(\n")]
    private static partial Regex DatabricksOnly();

    [GeneratedRegex(@"(?<![\w.'])(bronze|silver|gold|curated|_alquimia)\.[a-z_]+\b")]
    private static partial Regex TableReference();

    [GeneratedRegex(@"\nCLUSTER BY \([^)]*\)\n")]
    private static partial Regex ClusterBy();
}
