using System.Text.RegularExpressions;
using Alquimia.Deploy.Databricks;
using Alquimia.Projects;
using Alquimia.Tests.Projects;
using Alquimia.Tests.Warehouse.DuckDb;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Deploy;

/// <summary>
/// A model's task on Databricks: its SELECT in the Delta statement of its materialization — views and tables replaced,
/// a delete_insert's window replaced atomically (INSERT … REPLACE WHERE) and its retention deleted — every statement
/// parsed by Spark's grammar, the Databricks-only parts checked by their form.
/// </summary>
public sealed partial class ModelStatementsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CheckedConnection _connection = new(new DuckDbSettings());
    private readonly SparkSqlPrinter _printer;

    public ModelStatementsTests()
    {
        _connection.Open();
        _printer = new SparkSqlPrinter(_connection);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void ADeleteInsert_ReplacesItsWindowAtomically_ThenDeletesPastItsRetention()
    {
        var metrics = Crm().FindModel(new QualifiedName("gold", "crm_metrics_daily"))!;

        var statements = ModelStatements.Of(metrics, _printer, ProjectShape.Of(Crm()));

        Assert.Equal(4, statements.Count);
        Assert.Equal(ModelStatements.UseCatalog, statements[0]);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS gold.crm_metrics_daily\nUSING DELTA\nCOMMENT 'Métricas do dashboard", statements[1], StringComparison.Ordinal);
        Assert.EndsWith(") AS model\nWHERE false", statements[1], StringComparison.Ordinal);
        Assert.StartsWith("INSERT INTO gold.crm_metrics_daily\nREPLACE WHERE data_referencia >= (CAST(:run_date AS DATE) - 6)\nSELECT * FROM (", statements[2], StringComparison.Ordinal);
        Assert.EndsWith(") AS model\nWHERE data_referencia >= (CAST(:run_date AS DATE) - 6)", statements[2], StringComparison.Ordinal);
        Assert.Equal("DELETE FROM gold.crm_metrics_daily\nWHERE data_referencia < CAST(:run_date AS DATE) - INTERVAL 90 DAYS", statements[3]);
        Assert.Equal([ModelStatements.UseCatalog, "OPTIMIZE gold.crm_metrics_daily", "VACUUM gold.crm_metrics_daily"], ModelStatements.Maintenance(metrics));
    }

    [Fact]
    public void EveryModelOfTheExamples_ParsesInSpark()
    {
        var statements = Statements(Crm()).Concat(Statements(VCredit())).ToList();

        // Databricks' own, which Spark's open-source grammar predates, checked by form: USE CATALOG, liquid clustering,
        // session variables.
        Assert.All(statements.Where(statement => statement.Sql.StartsWith("USE ", StringComparison.Ordinal)), statement => Assert.Equal(ModelStatements.UseCatalog, statement.Sql));
        var clustered = statements.Where(statement => statement.Sql.Contains("CLUSTER BY", StringComparison.Ordinal)).ToList();
        Assert.Contains(clustered, statement => statement.Name.StartsWith("gold.ft_custo_operacional#", StringComparison.Ordinal));
        Assert.All(clustered, statement => Assert.Matches(@"\nUSING DELTA\nCLUSTER BY \([a-z_]+(, [a-z_]+)*\)\n", statement.Sql));
        var declared = statements.Where(statement => statement.Sql.StartsWith("DECLARE ", StringComparison.Ordinal)).ToList();
        Assert.Equal(13, declared.Count);
        Assert.All(declared, statement => Assert.Matches(@"^DECLARE OR REPLACE VARIABLE alquimia_watermark (TIMESTAMP_NTZ|DATE|BIGINT|INT)$", statement.Sql));
        var set = statements.Where(statement => statement.Sql.StartsWith("SET VAR ", StringComparison.Ordinal)).ToList();
        Assert.Equal(13, set.Count);
        Assert.All(set, statement => Assert.Matches(@"^SET VAR alquimia_watermark = \(SELECT max\([a-z_]+\)( - INTERVAL \d+ [A-Z]+)? FROM [a-z]+\.[a-z_]+\)$", statement.Sql));
        var errors = SparkSqlSyntax.Errors(statements.Where(statement => !statement.Sql.StartsWith("USE ", StringComparison.Ordinal) && !declared.Contains(statement) && !set.Contains(statement))
            .Select(statement => (statement.Name, ClusterBy().Replace(statement.Sql, "\n"))));

        Assert.Equal(27, statements.Select(statement => statement.Name.Split('#')[0]).Distinct().Count());
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}\n{statements.First(statement => statement.Name == result.Key).Sql}"));
    }

    /// <summary>
    /// Seed 002's e-commerce example deploys whole: its CDC feeds' declared columns give bronze the change columns its
    /// dimensions' AUTO CDC flows read, and every other model's statements parse under Spark's grammar.
    /// </summary>
    [Fact]
    public void EveryModelOfTheEcommerceExample_ParsesInSpark_BesidesItsAutoCdcFlows()
    {
        var project = ExampleProjects.Ecommerce(_directory.Path);
        var batch = project.Models.Where(model => model.Config.Materialized != MaterializationKind.ApplyChanges).ToList();

        var statements = Statements(project).Where(statement => batch.Exists(model => statement.Name.StartsWith($"{model.Name}#", StringComparison.Ordinal))).ToList();
        var errors = SparkSqlSyntax.Errors(statements.Where(statement => !statement.Sql.StartsWith("USE ", StringComparison.Ordinal) && !statement.Sql.StartsWith("DECLARE ", StringComparison.Ordinal) && !statement.Sql.StartsWith("SET VAR ", StringComparison.Ordinal)));

        Assert.Equal(["gold.dm_customer", "gold.dm_product"], project.Models.Except(batch).Select(model => model.Name.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(8, statements.Select(statement => statement.Name.Split('#')[0]).Distinct().Count());
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}\n{statements.First(statement => statement.Name == result.Key).Sql}"));
    }

    /// <summary>
    /// An incremental model with quarantine rules, seed 000's tb_chamado: the watermark variable typed as its column and
    /// read back from the table, the batch's rows checked into a scratch table with the quarantined ones, the
    /// quarantine merged before the table (a stop between the two reads the same rows again), and nothing else in
    /// between that commits.
    /// </summary>
    [Fact]
    public void AnIncrementalModel_MergesTheRowsPastItsTablesWatermark_QuarantineFirst()
    {
        var project = VCredit();
        var chamado = project.FindModel(new QualifiedName("silver", "tb_chamado"))!;

        var statements = ModelStatements.Of(chamado, _printer, ProjectShape.Of(project));

        string[] starts =
        [
            "USE CATALOG IDENTIFIER(:catalog)",
            "DECLARE OR REPLACE VARIABLE alquimia_watermark",
            "CREATE TABLE IF NOT EXISTS silver.tb_chamado",
            "CREATE TABLE IF NOT EXISTS silver.tb_chamado_invalidos",
            "SET VAR alquimia_watermark =",
            "CREATE SCHEMA IF NOT EXISTS _alquimia",
            "CREATE OR REPLACE TABLE _alquimia.silver__tb_chamado__checked",
            "SELECT 'silver.tb_chamado' AS model,",
            "MERGE INTO silver.tb_chamado_invalidos AS",
            "MERGE INTO silver.tb_chamado AS",
            "DROP TABLE IF EXISTS _alquimia.silver__tb_chamado__checked",
        ];
        Assert.Equal(starts.Length, statements.Count);
        Assert.All(starts.Zip(statements), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.Equal("DECLARE OR REPLACE VARIABLE alquimia_watermark TIMESTAMP_NTZ", statements[1]);
        Assert.Equal("SET VAR alquimia_watermark = (SELECT max(_ingestion_timestamp) FROM silver.tb_chamado)", statements[4]);
        Assert.Contains("WHERE alquimia_watermark IS NULL OR model._ingestion_timestamp >= alquimia_watermark", statements[6], StringComparison.Ordinal);
        Assert.Contains("row_number() OVER (PARTITION BY id_chamado ORDER BY _ingestion_timestamp DESC NULLS LAST, xxhash64(", statements[6], StringComparison.Ordinal);
        // The quarantined rows whose key the batch does not bring are checked again; id_unico_no_lote (recheck: false) keeps its result.
        Assert.Contains("FROM silver.tb_chamado_invalidos AS quarantined\nWHERE NOT (quarantined.id_chamado IS NULL)", statements[6], StringComparison.Ordinal);
        Assert.Contains("coalesce(CAST(coalesce(alquimia_kept_id_unico_no_lote, ((id_chamado IS NOT NULL", statements[6], StringComparison.Ordinal);
        Assert.Contains("coalesce(CAST((id_cliente IN (\nSELECT id_cliente\nFROM silver.tb_cliente\n)) AS BOOLEAN), false) AS cliente_existe", statements[6], StringComparison.Ordinal);
        Assert.Contains("WHEN MATCHED AND (checked.id_chamado_presente AND checked.id_unico_no_lote AND", statements[8], StringComparison.Ordinal);
        Assert.Contains("THEN DELETE\nWHEN MATCHED AND NOT checked.alquimia_retried THEN", statements[8], StringComparison.Ordinal);
        Assert.StartsWith("MERGE INTO silver.tb_chamado AS target\nUSING (\nSELECT * FROM _alquimia.silver__tb_chamado__checked\nWHERE (id_chamado_presente AND", statements[9], StringComparison.Ordinal);
        Assert.Contains("ON target.id_chamado <=> batch.id_chamado\nWHEN MATCHED AND (NOT (target.protocolo <=> batch.protocolo) OR", statements[9], StringComparison.Ordinal);
        Assert.Contains(", _loaded_at = CAST(current_timestamp() AS TIMESTAMP_NTZ)\nWHEN NOT MATCHED THEN", statements[9], StringComparison.Ordinal);
        Assert.Equal(
            [ModelStatements.UseCatalog, "OPTIMIZE silver.tb_chamado", "VACUUM silver.tb_chamado", "OPTIMIZE silver.tb_chamado_invalidos", "VACUUM silver.tb_chamado_invalidos"],
            ModelStatements.Maintenance(chamado));
    }

    /// <summary>A <c>_loaded_at</c> watermark reads what the upstream stamped after this table's last write.</summary>
    [Fact]
    public void AnIncrementalModelOnLoadedAt_ReadsWhatItsUpstreamStampedAfterItsLastWrite()
    {
        var project = VCredit();
        var cliente = project.FindModel(new QualifiedName("gold", "dm_cliente"))!;

        var statements = ModelStatements.Of(cliente, _printer, ProjectShape.Of(project));

        Assert.Contains("SET VAR alquimia_watermark = (SELECT max(_loaded_at) FROM gold.dm_cliente)", statements);
        Assert.Contains(statements, statement => statement.Contains("WHERE alquimia_watermark IS NULL OR model._loaded_at > alquimia_watermark", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, statement => statement.Contains("_alquimia.", StringComparison.Ordinal));
    }

    [Fact]
    public void ASnapshot_ClosesTheChangedVersionAndOpensItsSuccessor_InOneMerge()
    {
        var project = VCredit();
        var historico = project.FindModel(new QualifiedName("gold", "dm_atendente_historico"))!;

        var statements = ModelStatements.Of(historico, _printer, ProjectShape.Of(project));

        Assert.Equal(3, statements.Count);
        Assert.Contains("CAST(NULL AS TIMESTAMP_NTZ) AS valid_from, CAST(NULL AS TIMESTAMP_NTZ) AS valid_to, true AS is_current", statements[1], StringComparison.Ordinal);
        var merge = statements[2];
        Assert.Contains("SELECT latest.*, true AS alquimia_new_version FROM latest\nJOIN gold.dm_atendente_historico AS target ON target.is_current AND target.id_atendente <=> latest.id_atendente\nWHERE latest.atualizado_em > target.atualizado_em", merge, StringComparison.Ordinal);
        Assert.Contains("ON NOT staged.alquimia_new_version AND target.is_current AND target.id_atendente <=> staged.id_atendente", merge, StringComparison.Ordinal);
        Assert.Contains("WHEN MATCHED AND staged.atualizado_em > target.atualizado_em THEN\n  UPDATE SET valid_to = CAST(staged.atualizado_em AS TIMESTAMP_NTZ), is_current = false", merge, StringComparison.Ordinal);
        Assert.EndsWith("CAST(staged.atualizado_em AS TIMESTAMP_NTZ), NULL, true)", merge, StringComparison.Ordinal);
    }

    /// <summary>
    /// A table with expectations: a fail rule and a crossed threshold set to fail stop the task before anything is
    /// written; the table and its quarantine are then both replaced from the checked rows, less the dropped ones.
    /// </summary>
    [Fact]
    public void ATableWithExpectations_StopsOnFailRules_ThenReplacesTheTableAndItsQuarantine()
    {
        using var folder = new ProjectFolder()
            .Write("alquimia.yml", "name: teste\nquality:\n  max_invalid_ratio: 0.05\n  on_threshold: fail\n")
            .Write("models/silver/pedido.sql", "SELECT 1 AS id, 10.5 AS valor, 'SP' AS uf")
            .Write("models/silver/pedido_valido.sql", """
                /* ---
                expectations:
                  valor_positivo: valor > 0
                  uf_conhecida: {expect: "uf IN ('SP', 'RJ')", action: drop}
                  id_presente: {expect: id IS NOT NULL, action: fail}
                --- */
                SELECT id, valor, uf FROM silver.pedido
                """);
        var project = folder.Load();
        var model = project.FindModel(new QualifiedName("silver", "pedido_valido"))!;

        var statements = ModelStatements.Of(model, _printer, ProjectShape.Of(project));

        string[] starts =
        [
            "USE CATALOG IDENTIFIER(:catalog)",
            "CREATE SCHEMA IF NOT EXISTS _alquimia",
            "CREATE OR REPLACE TABLE _alquimia.silver__pedido_valido__checked",
            "SELECT raise_error(concat('silver.pedido_valido: expectation id_presente (fail) failed on ', failing, ' row(s)'))",
            "SELECT raise_error(concat('silver.pedido_valido: ', invalid, ' of ', checked, ' new row(s) failed its quarantine rules, more than max_invalid_ratio 0.05'))",
            "SELECT 'silver.pedido_valido' AS model,",
            "CREATE OR REPLACE TABLE silver.pedido_valido\nUSING DELTA\nAS\nSELECT id, valor, uf FROM (\nSELECT * FROM _alquimia.silver__pedido_valido__checked\nWHERE (valor_positivo) AND (uf_conhecida)",
            "CREATE OR REPLACE TABLE silver.pedido_valido_invalidos",
            "DROP TABLE IF EXISTS _alquimia.silver__pedido_valido__checked",
        ];
        Assert.Equal(starts.Length, statements.Count);
        Assert.All(starts.Zip(statements), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.Contains("filter(array(CASE WHEN NOT checked.valor_positivo THEN 'valor_positivo' END), rule -> rule IS NOT NULL) AS _failed_rules", statements[7], StringComparison.Ordinal);
        Assert.EndsWith("WHERE NOT (valor_positivo)", statements[7], StringComparison.Ordinal);
        var errors = SparkSqlSyntax.Errors(statements.Skip(1).Select((sql, i) => ($"#{i}", sql)));
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
    }

    /// <summary>A delete_insert with expectations: the window's rows checked, the quarantine's window replaced before the table's.</summary>
    [Fact]
    public void ADeleteInsertWithExpectations_ReplacesTheQuarantinesWindow_ThenItsOwn()
    {
        using var folder = new ProjectFolder()
            .Write("models/silver/pedido.sql", "SELECT 1 AS id, 10.5 AS valor, DATE '2026-12-01' AS dia")
            .Write("models/silver/pedido_diario.sql", """
                /* ---
                materialized: delete_insert
                window: dia >= run_date() - 2
                expectations:
                  valor_positivo: valor > 0
                --- */
                SELECT id, valor, dia FROM silver.pedido
                """);
        var project = folder.Load();

        var statements = ModelStatements.Of(project.FindModel(new QualifiedName("silver", "pedido_diario"))!, _printer, ProjectShape.Of(project));

        string[] starts =
        [
            "USE CATALOG IDENTIFIER(:catalog)",
            "CREATE TABLE IF NOT EXISTS silver.pedido_diario\n",
            "CREATE TABLE IF NOT EXISTS silver.pedido_diario_invalidos\n",
            "CREATE SCHEMA IF NOT EXISTS _alquimia",
            "CREATE OR REPLACE TABLE _alquimia.silver__pedido_diario__checked",
            "SELECT 'silver.pedido_diario' AS model,",
            "INSERT INTO silver.pedido_diario_invalidos\nREPLACE WHERE dia >= (CAST(:run_date AS DATE) - 2)\nSELECT checked.id, checked.valor, checked.dia, checked.valor_positivo, filter(",
            "INSERT INTO silver.pedido_diario\nREPLACE WHERE dia >= (CAST(:run_date AS DATE) - 2)\nSELECT id, valor, dia FROM (\nSELECT * FROM _alquimia.silver__pedido_diario__checked\nWHERE (valor_positivo) AND true",
            "DROP TABLE IF EXISTS _alquimia.silver__pedido_diario__checked",
        ];
        Assert.Equal(starts.Length, statements.Count);
        Assert.All(starts.Zip(statements), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.Contains("WHERE dia >= (CAST(:run_date AS DATE) - 2)", statements[4], StringComparison.Ordinal);
        var errors = SparkSqlSyntax.Errors(statements.Skip(1).Select((sql, i) => ($"#{i}", sql)));
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
    }

    /// <summary>The semantic checks: what binds in DuckDB but the bundle could not run, each named with its fix.</summary>
    [Fact]
    public void TheShape_RefusesAMissingColumnAMissingMergeKeyAndANonBooleanExpectation()
    {
        using var folder = new ProjectFolder()
            .Write("models/silver/a.sql", "SELECT 1 AS id, TIMESTAMP '2026-01-01' AS changed_at")
            .Write("models/silver/b.sql", "/* ---\nmaterialized: incremental\nunique_key: code\nwatermark: changed_at\n--- */\nSELECT id, changed_at FROM silver.a")
            .Write("models/silver/c.sql", "/* ---\nexpectations:\n  positivo: id + 1\n--- */\nSELECT id FROM silver.a")
            .Write("models/gold/d.sql", "SELECT missing_column FROM silver.a");

        var problems = ProjectShape.Of(folder.Load()).Problems;

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("gold.d: ", StringComparison.Ordinal) && problem.Contains("missing_column", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("silver.b (", StringComparison.Ordinal) && problem.Contains("its unique_key 'code' is not one of its columns", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("silver.c (", StringComparison.Ordinal) && problem.Contains("line 3): expectation positivo is of type INTEGER, not a condition", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every data test of the examples becomes a statement that counts the rows breaking it, as alquimia test does, and
    /// fails the task by raise_error when the test is an error; all parse under Spark's grammar.
    /// </summary>
    [Fact]
    public void EveryDataTestOfTheExamples_CountsItsFailingRows_AndFailsTheTask()
    {
        var models = Crm().Models.Concat(VCredit().Models).Where(model => model.Config.Tests.Count > 0).ToList();
        var statements = models.SelectMany(model => DataTestStatements.Of(model, _printer).Skip(1).Select((sql, i) => (Name: $"{model.Name}#{i}", Sql: sql))).ToList();
        var unique = DataTestStatements.Of(Crm().FindModel(new QualifiedName("gold", "crm_metrics_daily"))!, _printer)[1];

        Assert.Equal(models.Sum(model => model.Config.Tests.Count), statements.Count);
        Assert.StartsWith("SELECT raise_error(concat('gold.crm_metrics_daily: data test unique(data_referencia, organization_id, location_id)', ' failed on ', failing, ' row(s)')) AS test", unique, StringComparison.Ordinal);
        Assert.Contains("GROUP BY data_referencia, organization_id, location_id\nHAVING count(*) > 1", unique, StringComparison.Ordinal);
        Assert.EndsWith("WHERE failing > 0", unique, StringComparison.Ordinal);
        var errors = SparkSqlSyntax.Errors(statements);
        Assert.All(errors, result => Assert.True(result.Value.Count == 0, $"{result.Key}: {string.Join("; ", result.Value)}"));
    }

    private List<(string Name, string Sql)> Statements(Project project)
    {
        var shape = ProjectShape.Of(project);
        Assert.Empty(shape.Problems);
        return [.. project.Models.SelectMany(model => ModelStatements.Of(model, _printer, shape).Select((sql, i) => (Name: $"{model.Name}#{i}", Sql: sql)))];
    }

    private Project Crm() => ExampleProjects.Crm(_directory.Path);

    private Project VCredit() => ExampleProjects.VCredit(_directory.Path);

    [GeneratedRegex(@"\nCLUSTER BY \([^)]*\)\n")]
    private static partial Regex ClusterBy();
}
