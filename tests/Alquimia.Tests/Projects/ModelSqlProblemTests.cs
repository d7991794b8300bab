namespace Alquimia.Tests.Projects;

public sealed class ModelSqlProblemTests : IDisposable
{
    private const string Path = "models/gold/ft_chamado.sql";

    private readonly ProjectFolder _folder = new();

    public ModelSqlProblemTests()
    {
        _folder
            .Write("sources/pg.yml", "name: pg\nformat: parquet\ntables:\n  - name: chamados\n")
            .Write("models/silver/tb_chamado.sql", "SELECT * FROM bronze.chamados\n");
    }

    [Fact]
    public void Load_ReportsSqlDuckDbCannotParseAtTheFileLine()
    {
        Model("/* ---\ndescription: ção é\n--- */\nSELECT 'ação' AS a,\n  'é' AS b\nFROM silver.tb_chamado\nWHERE AND x\n");

        _folder.SingleProblem(Path, 7, "DuckDB cannot parse the SQL of 'gold.ft_chamado'", "syntax error");
    }

    [Fact]
    public void Load_SaysAModelIsOneSelectWhenItIsAnotherStatement()
    {
        Model("/* ---\ndescription: x\n--- */\nCREATE TABLE gold.ft_chamado AS SELECT 1\n");

        _folder.SingleProblem(Path, 4, "must be one SELECT statement", "Write only the SELECT");
    }

    [Fact]
    public void Load_SaysAModelIsExactlyOneSelectWhenItHoldsTwo()
    {
        Model("SELECT 1 AS x;\nSELECT 2 AS x;\n");

        _folder.SingleProblem(Path, 1, "exactly one SELECT statement", "2 statements");
    }

    [Fact]
    public void Load_ReportsAnUnknownReferenceWithTheStyleMessageAtItsLine()
    {
        Model("/* ---\ndescription: fatos\n--- */\nSELECT *\nFROM silver.tb_chamados\n");

        _folder.SingleProblem(Path, 5,
            "Model 'gold.ft_chamado' reads 'silver.tb_chamados', which is neither a model nor a source. Did you mean 'silver.tb_chamado'?");
    }

    [Fact]
    public void Load_ReportsAnUnknownReferenceInsideASubqueryOfACte()
    {
        Model("WITH x AS (\n  SELECT * FROM silver.tb_chamado\n  WHERE id IN (SELECT id FROM gold.dm_nada)\n)\nSELECT * FROM x\n");

        _folder.SingleProblem(Path, 3, "reads 'gold.dm_nada', which is neither a model nor a source.");
    }

    [Fact]
    public void Load_AsksForTheLayerOfAnUnqualifiedName()
    {
        Model("WITH c AS (SELECT 1 AS id)\nSELECT * FROM c\nJOIN tb_chamado USING (id)\n");

        _folder.SingleProblem(Path, 3, "reads 'tb_chamado' without its layer", "write it as layer.name", "'silver.tb_chamado'");
    }

    [Fact]
    public void Load_KnowsNamesBoundToCtesInSetOperationsAndRecursiveCtes()
    {
        Model("WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3)\nSELECT n FROM r UNION SELECT 1 FROM silver.tb_chamado\n");

        var model = Assert.Single(_folder.Load().Models, model => model.Name.Name == "ft_chamado");

        Assert.Equal(["silver.tb_chamado"], model.References.Select(name => name.ToString()));
    }

    [Fact]
    public void Load_RefusesAViewCallingIsIncremental_AtTheLineOfTheCall()
    {
        _folder.Write("models/curated/vw_chamado.sql",
            "/* ---\nmaterialized: view\n--- */\nSELECT *\nFROM silver.tb_chamado\nWHERE NOT is_incremental()\n   OR atualizado_em >= watermark_lower_bound()\n");

        var problems = _folder.Problems();

        Assert.Equal(2, problems.Count);
        ProjectFolder.AssertProblem(problems[0], "models/curated/vw_chamado.sql", 6,
            "View 'curated.vw_chamado' calls is_incremental(), which exists only while Alquimia builds a model", "make the model a table or incremental");
        ProjectFolder.AssertProblem(problems[1], "models/curated/vw_chamado.sql", 7, "calls watermark_lower_bound()");
    }

    [Fact]
    public void Load_AcceptsIsIncrementalAndWatermarkLowerBound_InATableModel()
    {
        Model("/* ---\nmaterialized: table\n--- */\nSELECT * FROM silver.tb_chamado WHERE NOT is_incremental() OR atualizado_em >= watermark_lower_bound()\n");

        var model = Assert.Single(_folder.Load().Models, model => model.Name.Name == "ft_chamado");

        Assert.Equal(["silver.tb_chamado"], model.References.Select(name => name.ToString()));
    }

    private void Model(string text) => _folder.Write(Path, text);

    public void Dispose() => _folder.Dispose();
}
