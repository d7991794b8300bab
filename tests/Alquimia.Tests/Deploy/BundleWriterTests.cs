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

    /// <summary>
    /// An apply_changes model is a serverless Lakeflow pipeline whose AUTO CDC INTO flow applies the model's feed with its
    /// settings, and the job's task updates the pipeline; both files pass the schemas.
    /// </summary>
    [Fact]
    public void AnApplyChangesModel_IsALakeflowPipelineWithAnAutoCdcFlow_UpdatedByItsJobsTask()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        File.WriteAllText(Path.Combine(folder, "models/gold/dm_pedido.sql"), """
            /* ---
            materialized: apply_changes
            keys: [id_pedido]
            sequence_by: atualizado_em
            apply_as_deletes: cliente IS NULL
            stored_as_scd_type: 2
            track_history_except: [valor]
            except_columns: [_ingestion_timestamp]
            --- */
            SELECT * FROM bronze.pedidos WHERE valor >= 0
            """);

        var bundle = BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("out"));

        var pipeline = File.ReadAllText(Path.Combine(bundle.Directory, "resources", "gold__dm_pedido.pipeline.yml"));
        Assert.Empty(BundleSchema.Errors(pipeline));
        Assert.Contains("""
              pipelines:
                gold__dm_pedido:
                  name: loja_gold__dm_pedido
                  catalog: ${var.catalog}
                  schema: gold
                  serverless: true
                  continuous: false
                  libraries:
                  - file:
                      path: ../src/gold/dm_pedido.sql
            """.ReplaceLineEndings("\n"), pipeline, StringComparison.Ordinal);
        var job = File.ReadAllText(Path.Combine(bundle.Directory, "resources", "loja_daily.job.yml"));
        Assert.Empty(BundleSchema.Errors(job));
        Assert.Contains("- task_key: gold__dm_pedido\n", job, StringComparison.Ordinal);
        Assert.All(BundleSchema.OfficialErrors([("pipeline", pipeline), ("job", job)]), result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
        Assert.Matches(@"- task_key: gold__dm_pedido\n(?:.*\n)*? +pipeline_task:\n +pipeline_id: \$\{resources\.pipelines\.gold__dm_pedido\.id\}\n", job);
        Assert.Equal("""
            CREATE OR REFRESH STREAMING TABLE dm_pedido;

            CREATE TEMPORARY VIEW dm_pedido__feed
            AS SELECT * FROM STREAM(bronze.pedidos)
            WHERE valor >= 0;

            CREATE FLOW dm_pedido__apply_changes AS AUTO CDC INTO dm_pedido
            FROM STREAM(dm_pedido__feed)
            KEYS (id_pedido)
            APPLY AS DELETE WHEN cliente IS NULL
            SEQUENCE BY atualizado_em
            COLUMNS * EXCEPT (_ingestion_timestamp)
            STORED AS SCD TYPE 2
            TRACK HISTORY ON * EXCEPT (valor);

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(bundle.Directory, "src", "gold", "dm_pedido.sql")).Split("\n\n", 2)[1]);
    }

    /// <summary>A comment before the feed's SELECT (a model's explanation, as examples/ecommerce's first dm_customer had) is no transformation.</summary>
    [Fact]
    public void AnApplyChangesModelWithACommentBeforeItsSelect_IsStillAFlowOfItsFeed()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        File.WriteAllText(Path.Combine(folder, "models/gold/dm_pedido.sql"), """
            /* ---
            materialized: apply_changes
            keys: [id_pedido]
            sequence_by: atualizado_em
            --- */
            -- Pedidos sem valor não entram.
            /* Nem os de teste. */
            SELECT * FROM bronze.pedidos WHERE valor >= 0
            """);

        var bundle = BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("out"));

        Assert.Contains(
            "CREATE TEMPORARY VIEW dm_pedido__feed\nAS SELECT * FROM STREAM(bronze.pedidos)\nWHERE valor >= 0;",
            File.ReadAllText(Path.Combine(bundle.Directory, "src", "gold", "dm_pedido.sql")), StringComparison.Ordinal);
    }

    /// <summary>A Lakeflow flow streams one table: an apply_changes query that transforms is one problem, with the fix.</summary>
    [Fact]
    public void AnApplyChangesModelThatTransformsItsFeed_IsOneProblem_SayingWhereTheTransformationGoes()
    {
        var folder = DeployableProject.WriteTo(_directory.File("loja"));
        File.WriteAllText(Path.Combine(folder, "models/gold/dm_pedido.sql"), """
            /* ---
            materialized: apply_changes
            keys: [id_pedido]
            sequence_by: atualizado_em
            --- */
            SELECT id_pedido, upper(cliente) AS cliente, valor, atualizado_em, _ingestion_timestamp FROM bronze.pedidos
            """);

        var error = Assert.Throws<BundleNotWrittenException>(() => BundleWriter.Write(ProjectLoader.Load(folder), _directory.File("out")));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("gold.dm_pedido: an apply_changes query other than SELECT * FROM one table has no Spark SQL form", problem, StringComparison.Ordinal);
        Assert.Contains("move any other transformation to a model upstream", problem, StringComparison.Ordinal);
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
