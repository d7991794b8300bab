using Alquimia.Graph;
using Alquimia.Projects;
using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Quality;

/// <summary>Expectations and thresholds as the loader reads them from front matter and alquimia.yml.</summary>
public sealed class ExpectationLoadingTests : IDisposable
{
    private const string Path = "models/silver/tb_chamado.sql";

    private readonly ProjectFolder _folder = new();

    public ExpectationLoadingTests()
    {
        _folder.Write("models/silver/tb_cliente.sql", "SELECT 1 AS id_cliente");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_ReadsRules_WithTheLayersDefaultAction_AndMakesTheirTablesDependencies()
    {
        _folder.Write(Path, """
            /* ---
            expectations:
              id_valido: id_chamado IS NOT NULL
              cliente_existe: id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)
              status_conhecido: {expect: "status IN ('aberto', 'resolvido')", action: warn}
            max_invalid_ratio: 0.05
            on_threshold: fail
            --- */
            SELECT 1 AS id_chamado, 1 AS id_cliente, 'aberto' AS status
            """);
        _folder.Write("models/gold/ft_chamado.sql", "/* ---\nexpectations:\n  positivo: id_chamado > 0\n--- */\nSELECT * FROM silver.tb_chamado");

        var project = _folder.Load();

        var model = project.Models.Single(m => m.Name.ToString() == "silver.tb_chamado");
        Assert.Equal(
            ["id_valido|id_chamado IS NOT NULL|Quarantine|3", "cliente_existe|id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)|Quarantine|4", "status_conhecido|status IN ('aberto', 'resolvido')|Warn|5"],
            model.Config.Expectations.Select(rule => $"{rule.Name}|{rule.Expression}|{rule.Action}|{rule.Line}"));
        Assert.Equal((0.05, ThresholdAction.Fail), (model.Config.MaxInvalidRatio, model.Config.OnThreshold));
        Assert.Equal(["silver.tb_cliente"], model.References.Select(reference => reference.ToString()));
        Assert.Equal(ExpectationAction.Fail, project.Models.Single(m => m.Name.ToString() == "gold.ft_chamado").Config.Expectations.Single().Action);
        Assert.Equal(["silver.tb_cliente", "silver.tb_chamado", "gold.ft_chamado"], new PipelineGraph(project).Levels.SelectMany(level => level).Select(node => node.Name.ToString()));
    }

    [Fact]
    public void Load_ReadsTheProjectWideThreshold_AndAModelOverridesItKeyByKey()
    {
        _folder.Write("alquimia.yml", "name: teste\nquality:\n  max_invalid_ratio: 0.1\n  on_threshold: fail\n");
        _folder.Write(Path, "/* ---\nexpectations:\n  ok: x > 0\nmax_invalid_ratio: 0.2\n--- */\nSELECT 1 AS x\n");
        _folder.Write("models/silver/tb_outro.sql", "/* ---\nexpectations:\n  ok: x > 0\non_threshold: warn\n--- */\nSELECT 1 AS x\n");

        var project = _folder.Load();

        Assert.Equal(new QualityThreshold(0.1, ThresholdAction.Fail), project.Settings.QualityThreshold);
        Assert.Equal(new QualityThreshold(0.2, ThresholdAction.Fail), Config(project, "silver.tb_chamado").ThresholdWithin(project.Settings.QualityThreshold));
        Assert.Equal(new QualityThreshold(0.1, ThresholdAction.Warn), Config(project, "silver.tb_outro").ThresholdWithin(project.Settings.QualityThreshold));
        Assert.Null(Config(project, "silver.tb_cliente").ThresholdWithin(null));
    }

    private static ModelConfig Config(Project project, string model) => project.Models.Single(m => m.Name.ToString() == model).Config;

    [Fact]
    public void Load_TellsAForeignKeyRuleByItsShape_AndNothingElseForOne()
    {
        _folder.Write(Path, """
            /* ---
            expectations:
              cliente_existe: id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)
              entre_parenteses: (id_cliente IN (SELECT "ID_CLIENTE" FROM "silver"."tb_cliente"))
              opcional: id_cliente IN (SELECT id_cliente FROM silver.tb_cliente) OR id_cliente IS NULL
              outra_coluna_nula: status IS NULL OR id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)
              ou_outra: id_cliente < 0 OR id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)
              so_ativos: id_cliente IN (SELECT id_cliente FROM silver.tb_cliente WHERE id_cliente > 0)
              negado: id_cliente NOT IN (SELECT id_cliente FROM silver.tb_cliente)
              ou_nulo: id_cliente IS NULL OR id_cliente IN (SELECT id_cliente FROM silver.tb_cliente)
              distintos: id_cliente IN (SELECT DISTINCT id_cliente FROM silver.tb_cliente)
              calculado: id_cliente + 1 IN (SELECT id_cliente FROM silver.tb_cliente)
              lista: id_cliente IN (1, 2)
            --- */
            SELECT 1 AS id_cliente
            """);

        var rules = Config(_folder.Load(), "silver.tb_chamado").Expectations;

        Assert.Equal(
            ["cliente_existe|id_cliente → silver.tb_cliente.id_cliente", "entre_parenteses|id_cliente → silver.tb_cliente.ID_CLIENTE",
             "opcional|id_cliente → silver.tb_cliente.id_cliente, NULL allowed", "outra_coluna_nula|", "ou_outra|",
             "so_ativos|", "negado|", "ou_nulo|id_cliente → silver.tb_cliente.id_cliente, NULL allowed", "distintos|", "calculado|", "lista|"],
            rules.Select(rule => $"{rule.Name}|{(rule.ForeignKey is { } key ? $"{key.Column} → {key.Parent}.{key.ParentColumn}{(key.NullAllowed ? ", NULL allowed" : "")}" : "")}"));
    }

    [Fact]
    public void Load_ReportsAnExpressionDuckDbCannotParse_AtTheRulesLine()
    {
        _folder.Write(Path, "/* ---\nexpectations:\n  ok: id_chamado > 0\n  quebrada: id_chamado >>> AND\n--- */\nSELECT 1 AS id_chamado\n");

        _folder.SingleProblem(Path, 4, "DuckDB cannot parse expectation 'quebrada' of 'silver.tb_chamado'");
    }

    [Fact]
    public void Load_ReportsATableARuleReadsThatDoesNotExist()
    {
        _folder.Write(Path, "/* ---\nexpectations:\n  cliente_existe: id_cliente IN (SELECT id_cliente FROM silver.tb_clientes)\n--- */\nSELECT 1 AS id_cliente\n");

        _folder.SingleProblem(Path, 3, "silver.tb_clientes", "silver.tb_cliente");
    }

    [Fact]
    public void Load_ReportsBadRuleNames_UnknownActions_AndRulesOnViews()
    {
        _folder.Write(Path, "/* ---\nexpectations:\n  1_regra: x > 0\n  boa: {expect: x > 0, action: quarentena}\n--- */\nSELECT 1 AS x\n");
        _folder.Write("models/curated/vw_x.sql", "/* ---\nmaterialized: view\nexpectations:\n  positivo: x > 0\n--- */\nSELECT * FROM silver.tb_chamado\n");

        var problems = _folder.Problems();

        Assert.Contains(problems, problem => problem.Line == 3 && problem.Message.Contains("needs a name made of letters", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Line == 4 && problem.Message.Contains("'quarentena', which is not one of: warn, quarantine, drop, fail", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.FilePath == "models/curated/vw_x.sql" && problem.Message.Contains("'expectations' applies to table, incremental, delete_insert models only", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ReadsRecheck_TrueByDefault_AndReportsAValueThatIsNotABoolean()
    {
        _folder.Write(Path, "/* ---\nexpectations:\n  no_lote: {expect: x > 0, recheck: False}\n  sempre: x > 1\n--- */\nSELECT 1 AS x\n");
        Assert.Equal(["no_lote|False", "sempre|True"], Config(_folder.Load(), "silver.tb_chamado").Expectations.Select(rule => $"{rule.Name}|{rule.Recheck}"));

        _folder.Write(Path, "/* ---\nexpectations:\n  no_lote: {expect: x > 0, recheck: talvez}\n--- */\nSELECT 1 AS x\n");
        _folder.SingleProblem(Path, 3, "'recheck'", "'talvez', which is not one of: true, false");
    }

    [Fact]
    public void Load_ReportsAThresholdThatIsNotAShare()
    {
        _folder.Write(Path, "/* ---\nexpectations:\n  ok: x > 0\nmax_invalid_ratio: 5%\n--- */\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 4, "'max_invalid_ratio'", "should be a share from 0 to 1, e.g. 0.05 for 5%, not '5%'");
    }

    [Fact]
    public void Load_ReadsDataTests_AndTheTablesTheyReadBecomeDependencies()
    {
        _folder.Write("models/gold/dm_canal.sql", "SELECT 1 AS id_canal");
        _folder.Write("models/gold/ft_chamado.sql", """
            /* ---
            tests:
              - unique: id_chamado
              - not_null: [id_chamado, id_canal]
              - accepted_values: {column: status, values: [aberto, resolvido], severity: warn}
              - relationships: {column: id_canal, to: gold.dm_canal}
              - expression: {name: sem_cliente, sql: "SELECT * FROM gold.ft_chamado WHERE id_cliente NOT IN (SELECT id_cliente FROM silver.tb_cliente)"}
              - row_count_between: {min: 1}
              - freshness: {column: atualizado_em, max_age: 2 days}
            --- */
            SELECT 1 AS id_chamado, 1 AS id_canal, 'aberto' AS status, 1 AS id_cliente, now() AS atualizado_em
            """);

        var model = _folder.Load().Models.Single(m => m.Name.ToString() == "gold.ft_chamado");

        Assert.Equal(
            ["unique(id_chamado)|Error|3", "not_null(id_chamado)|Error|4", "not_null(id_canal)|Error|4", "accepted_values(status)|Warn|5",
             "relationships(id_canal → gold.dm_canal.id_canal)|Error|6", "sem_cliente|Error|7", "row_count_between|Error|8", "freshness(atualizado_em)|Error|9"],
            model.Config.Tests.Select(test => $"{test.Name}|{test.Severity}|{test.Line}"));
        Assert.Equal(["gold.dm_canal", "silver.tb_cliente"], model.References.Select(reference => reference.ToString()));
    }

    [Fact]
    public void Load_ReportsUnknownTests_AndTestsWithoutTheirOptions()
    {
        _folder.Write(Path, "/* ---\ntests:\n  - uniqe: id\n  - accepted_values: status\n  - relationships: {column: id, to: dm_canal}\n--- */\nSELECT 1 AS id\n");

        var problems = _folder.Problems();

        Assert.Contains(problems, problem => problem.Line == 3 && problem.Message.Contains("Unknown key 'uniqe'", StringComparison.Ordinal) && problem.Message.Contains("Did you mean 'unique'?", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Line == 4 && problem.Message.Contains("takes a mapping of its options: column, values, severity", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Line == 5 && problem.Message.Contains("should be a schema-qualified model such as gold.dm_canal, not 'dm_canal'", StringComparison.Ordinal));
    }
}
