using Alquimia.Deploy.Databricks;
using Alquimia.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// The bundle on disk: databricks.yml, a job file per job and every task's SQL file, written whole or not at all, over
/// a bundle the deploy wrote before and never over someone else's folder; a model's .databricks.sql replacing its SELECT.
/// </summary>
public sealed class BundleWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CheckedConnection _connection = new(new DuckDbSettings());

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void ABundle_HoldsTheYamlAndASqlFilePerTask_EachNamingWhereItComesFrom()
    {
        var project = Loja();
        var output = _directory.File("bundle");

        var written = BundleWriter.Write(project, output);

        var job = Assert.Single(written.Jobs);
        Assert.Equal(
            ["databricks.yml", "resources/loja_daily.job.yml", .. job.Tasks.Select(task => task.SqlFile).Order(StringComparer.Ordinal)],
            written.Files.Where(file => !file.StartsWith("src/", StringComparison.Ordinal)).Concat(written.Files.Where(file => file.StartsWith("src/", StringComparison.Ordinal))));
        Assert.Equal(written.Files, Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(output, file).Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.Empty(BundleSchema.Errors(File.ReadAllText(Path.Combine(output, "databricks.yml"))));
        Assert.Empty(BundleSchema.Errors(File.ReadAllText(Path.Combine(output, "resources/loja_daily.job.yml"))));
        Assert.StartsWith(BundleWriter.HeaderStart, File.ReadAllText(Path.Combine(output, "databricks.yml")), StringComparison.Ordinal);

        var fact = File.ReadAllText(Path.Combine(output, "src/gold/ft_vendas.sql"));
        Assert.StartsWith("-- gold.ft_vendas, written by `alquimia deploy databricks` from models/gold/ft_vendas.sql.\n", fact, StringComparison.Ordinal);
        Assert.Equal(ModelStatements.Of(project.FindModel(new QualifiedName("gold", "ft_vendas"))!, Printer(), ProjectShape.Of(project)), Statements(fact));
        Assert.StartsWith("-- the data tests of gold.ft_vendas, written by `alquimia deploy databricks` from models/gold/ft_vendas.sql.",
            File.ReadAllText(Path.Combine(output, "src/tests/gold/ft_vendas.sql")), StringComparison.Ordinal);
        var bronze = File.ReadAllText(Path.Combine(output, "src/bronze/pedidos.sql"));
        Assert.StartsWith("-- the landing files of table pedidos into bronze.pedidos, written by `alquimia deploy databricks` from sources/loja.yml.", bronze, StringComparison.Ordinal);
        Assert.Contains("\\'sep\\' = \\';\\'", bronze, StringComparison.Ordinal);
        Assert.Equal([(new QualifiedName("bronze", "pedidos"), "${var.landing_path}/loja/pedidos", "files")], written.Sources);
        Assert.EndsWith("EXECUTE IMMEDIATE alquimia_copy_into;\n", bronze, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverride_ReplacesTheModelsSelect_InsideItsMaterialization_WithoutBeingParsed()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        // The printer refuses EXCLUDE; the override, Spark SQL DuckDB cannot parse (TIMESTAMP AS OF), takes its place.
        File.WriteAllText(Path.Combine(folder, "models/silver/tb_pedido.sql"), "SELECT * EXCLUDE (cliente) FROM bronze.pedidos\n");
        Assert.Contains("silver.tb_pedido, line 1: * EXCLUDE has no Spark SQL form",
            Assert.Throws<BundleNotWrittenException>(() => BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("refused"))).Message, StringComparison.Ordinal);
        const string Override = "SELECT id_pedido, valor, atualizado_em\nFROM bronze.pedidos TIMESTAMP AS OF '2026-01-01'";
        File.WriteAllText(Path.Combine(folder, "models/silver/tb_pedido.databricks.sql"), Override + ";\n");

        BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("bundle"));

        var silver = File.ReadAllText(_directory.File("bundle/src/silver/tb_pedido.sql"));
        Assert.StartsWith("-- silver.tb_pedido, written by `alquimia deploy databricks` from models/silver/tb_pedido.databricks.sql (the SELECT) and models/silver/tb_pedido.sql.", silver, StringComparison.Ordinal);
        Assert.Equal([ModelStatements.UseCatalog, $"CREATE OR REPLACE TABLE silver.tb_pedido\nUSING DELTA\nAS\n{Override}"], Statements(silver));
        Assert.DoesNotContain("__alquimia", silver, StringComparison.Ordinal);
    }

    [Fact]
    public void AViewsOverrideReadingTheRunDate_IsRefused()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        File.WriteAllText(Path.Combine(folder, "models/curated/vw_vendas.databricks.sql"), "SELECT * FROM gold.ft_vendas WHERE data_referencia = CAST(:run_date AS DATE)");

        var error = Assert.Throws<BundleNotWrittenException>(() => BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("bundle")));

        Assert.Contains("curated.vw_vendas: run_date() in a view has no Spark SQL form", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    /// <summary>AUTO CDC INTO is a Lakeflow pipeline's flow, which the bundle does not write yet: the model is one problem, not a wrong task.</summary>
    [Fact]
    public void AnApplyChangesModel_IsOneProblem_SayingItIsNotDeployableYet()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        File.WriteAllText(Path.Combine(folder, "models/gold/dm_pedido.sql"), """
            /* ---
            materialized: apply_changes
            keys: [id_pedido]
            sequence_by: atualizado_em
            --- */
            SELECT id_pedido, cliente, valor, atualizado_em, _ingestion_timestamp FROM bronze.pedidos
            """);

        var error = Assert.Throws<BundleNotWrittenException>(() => BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("out")));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("gold.dm_pedido (", problem, StringComparison.Ordinal);
        Assert.Contains("apply_changes is not deployable yet: on Databricks it becomes an AUTO CDC INTO flow", problem, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory.File("out")));
    }

    /// <summary>A model DuckDB cannot bind (a column its upstream lacks) is one problem; what reads it adds none.</summary>
    [Fact]
    public void AModelThatDoesNotBind_IsOneProblem_NamingTheColumn()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        File.WriteAllText(Path.Combine(folder, "models/silver/tb_pedido.sql"), "SELECT id_pedido, desconto, valor, atualizado_em FROM bronze.pedidos\n");

        var error = Assert.Throws<BundleNotWrittenException>(() => BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("out")));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("silver.tb_pedido: ", problem, StringComparison.Ordinal);
        Assert.Contains("desconto", problem, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory.File("out")));
    }

    /// <summary>Every model's and source's problem is listed, each with what and the fix, and nothing is written.</summary>
    [Fact]
    public void AProjectWithSeveralProblems_ListsEveryOne_AndWritesNothing()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        NotDeployable(folder);
        var output = _directory.File("out");

        var error = Assert.Throws<BundleNotWrittenException>(() => BundleWriter.Write(ProjectLoader.Load(folder), output));

        Assert.Collection(error.Problems.Order(StringComparer.Ordinal),
            problem => Assert.StartsWith("Source 'loja', table pedidos: it has CSV files without a header line", problem, StringComparison.Ordinal),
            problem => Assert.StartsWith("gold.ft_vendas: DISTINCT ON has no Spark SQL form", problem, StringComparison.Ordinal),
            problem => Assert.StartsWith("silver.tb_pedido, line 1: * EXCLUDE has no Spark SQL form", problem, StringComparison.Ordinal));
        Assert.All(error.Problems, problem => Assert.Contains($"\n  - {problem}", error.Message, StringComparison.Ordinal));
        Assert.False(Directory.Exists(output));
        Assert.Equal(["loja"], Directory.EnumerateFileSystemEntries(_directory.Path).Select(Path.GetFileName));
    }

    /// <summary>Makes two models and the source of <see cref="DeployableProject"/> things the deploy refuses.</summary>
    internal static void NotDeployable(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "models/silver/tb_pedido.sql"), "SELECT * EXCLUDE (cliente) FROM bronze.pedidos\n");
        File.WriteAllText(Path.Combine(folder, "models/gold/ft_vendas.sql"),
            "/* ---\nmaterialized: table\ntests:\n  - unique: data_referencia\n--- */\nSELECT DISTINCT ON (id_pedido) CAST(atualizado_em AS DATE) AS data_referencia, 1 AS pedidos, 1 AS receita\nFROM silver.tb_pedido\n");
        var source = Path.Combine(folder, "sources/loja.yml");
        File.WriteAllText(source, File.ReadAllText(source).Replace("csv: {delimiter: \";\"}", "csv: {delimiter: \";\", header: false}", StringComparison.Ordinal));
    }

    [Fact]
    public void ABundleWrittenBefore_IsReplacedWhole_AndTheTargetChosenIsTheDefault()
    {
        var project = Loja();
        var output = _directory.File("bundle");
        BundleWriter.Write(project, output);
        File.WriteAllText(Path.Combine(output, "src/silver/stale.sql"), "SELECT 1");

        var written = BundleWriter.Write(project, output, defaultTarget: "prod");

        Assert.False(File.Exists(Path.Combine(output, "src/silver/stale.sql")));
        Assert.Equal("prod", written.DefaultTarget);
        var bundle = File.ReadAllText(Path.Combine(output, "databricks.yml"));
        Assert.Contains("  dev:\n    mode: development\n    default: false\n", bundle, StringComparison.Ordinal);
        Assert.Contains("  prod:\n    mode: production\n    default: true\n", bundle, StringComparison.Ordinal);
        Assert.Equal(["bundle", "loja"], Directory.EnumerateFileSystemEntries(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AFolderTheDeployDidNotWrite_IsNeverReplaced()
    {
        var output = _directory.File("someone");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "databricks.yml"), "bundle: {name: theirs}\n");

        var error = Assert.Throws<BundleNotWrittenException>(() => BundleWriter.Write(Loja(), output));

        Assert.Contains("holds files that alquimia deploy databricks did not write", error.Message, StringComparison.Ordinal);
        Assert.Equal(["databricks.yml"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName));
    }

    private Project Loja() => ProjectLoader.Load(DeployableProject.WriteTo(_directory.File("loja")));

    private SparkSqlPrinter Printer()
    {
        _connection.Open();
        return new SparkSqlPrinter(_connection);
    }

    /// <summary>A task file's statements: after its header, separated by a semicolon and a blank line.</summary>
    private static List<string> Statements(string file)
    {
        var body = file[(file.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        Assert.EndsWith(";\n", body, StringComparison.Ordinal);
        return [.. body[..^2].Split(";\n\n")];
    }
}
