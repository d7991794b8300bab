namespace Alquimia.Tests.Projects;

public sealed class ProjectStructureProblemTests : IDisposable
{
    private readonly ProjectFolder _folder = new();

    [Fact]
    public void Load_ReportsTwoModelsWithOneNameNamingBothFiles()
    {
        _folder
            .Write("models/silver/a/tb_x.sql", "SELECT 1 AS x\n")
            .Write("models/silver/b/tb_x.sql", "SELECT 2 AS x\n");

        _folder.SingleProblem("models/silver/b/tb_x.sql", 0, "Two things build silver.tb_x", "models/silver/a/tb_x.sql", "Rename one of the files");
    }

    /// <summary>
    /// A model's Databricks override (docs/databricks.md, "Overrides") is Spark SQL for the deploy, not a model: read as
    /// one, DuckDB's parser refused its Spark syntax, or it became a model named "tb_x.databricks".
    /// </summary>
    [Fact]
    public void Load_TakesADatabricksOverride_ForNoModelOfItsOwn()
    {
        _folder
            .Write("models/silver/tb_x.sql", "SELECT 1 AS x\n")
            .Write("models/silver/tb_x.databricks.sql", "SELECT x FROM silver.tb_y TIMESTAMP AS OF '2026-01-01'\n");

        var project = _folder.Load();

        Assert.Equal(["silver.tb_x"], project.Models.Select(model => model.Name.ToString()));
    }

    [Fact]
    public void Load_ReportsADatabricksOverrideWithoutItsModel()
    {
        _folder
            .Write("models/silver/tb_x.sql", "SELECT 1 AS x\n")
            .Write("models/silver/tb_z.databricks.sql", "SELECT 1 AS x\n");

        _folder.SingleProblem("models/silver/tb_z.databricks.sql", 0, "overrides silver.tb_z on Databricks", "no models/silver/tb_z.sql beside it");
    }

    [Fact]
    public void Load_ReportsAModelWithTheNameOfABronzeTable()
    {
        _folder
            .Write("sources/pg.yml", "name: pg\nformat: csv\ntables:\n  - name: chamados\n")
            .Write("models/bronze/chamados.sql", "SELECT 1 AS x\n");

        _folder.SingleProblem("models/bronze/chamados.sql", 0, "Two things build bronze.chamados", "source 'pg' (sources/pg.yml:4)");
    }

    [Fact]
    public void Load_RefusesAModelNamedLikeTheTablesAlquimiaBuildsWith()
    {
        _folder.Write("models/silver/tb_x__alquimia_new.sql", "SELECT 1 AS x\n");

        _folder.SingleProblem("models/silver/tb_x__alquimia_new.sql", 0, "has '__alquimia' in its name", "Rename the file");
    }

    [Fact]
    public void Load_RefusesAModelNamedLikeTheQuarantineTableOfAnother()
    {
        _folder
            .Write("models/silver/tb_x.sql", "/* ---\nexpectations:\n  positivo: x > 0\n--- */\nSELECT 1 AS x\n")
            .Write("models/silver/tb_x_invalidos.sql", "SELECT 1 AS x\n");

        _folder.SingleProblem("models/silver/tb_x.sql", 0, "silver.tb_x_invalidos is model silver.tb_x_invalidos (models/silver/tb_x_invalidos.sql)", "quarantine table of silver.tb_x");
    }

    [Fact]
    public void Load_ListsTheLayersForAnUnknownLayerFolder()
    {
        _folder.Write("models/sliver/tb_x.sql", "SELECT 1 AS x\n");

        _folder.SingleProblem("models/sliver", 0, "'sliver' is not a layer", "bronze, silver, gold, curated", "Did you mean 'silver'?");
    }

    [Fact]
    public void Load_PrintsACycleWithTheFileOfItsFirstModel()
    {
        _folder
            .Write("models/silver/a.sql", "SELECT *\nFROM silver.b\n")
            .Write("models/silver/b.sql", "SELECT * FROM silver.a\n");

        _folder.SingleProblem("models/silver/a.sql", 2, "silver.a → silver.b → silver.a");
    }

    [Fact]
    public void Load_ReportsEveryProblemOfEveryFileTogetherInFileOrder()
    {
        _folder
            .Write("alquimia.yml", "name: teste\nretries: -1\n")
            .Write("sources/pg.yml", "name: pg\nformat: xml\ntables:\n  - name: chamados\n")
            .Write("models/silver/tb_chamado.sql", "/* ---\nmaterialized: snapshot\n--- */\nSELECT * FROM bronze.chamado\n")
            .Write("models/gold/ft.sql", "SELECT * FROM\n");

        var problems = _folder.Problems();

        Assert.Equal(5, problems.Count);
        ProjectFolder.AssertProblem(problems[0], "alquimia.yml", 2, "'retries'");
        ProjectFolder.AssertProblem(problems[1], "models/gold/ft.sql", 2, "DuckDB cannot parse");
        ProjectFolder.AssertProblem(problems[2], "models/silver/tb_chamado.sql", 2, "needs 'unique_key'");
        ProjectFolder.AssertProblem(problems[3], "models/silver/tb_chamado.sql", 4, "'bronze.chamado'", "Did you mean 'bronze.chamados'?");
        ProjectFolder.AssertProblem(problems[4], "sources/pg.yml", 2, "'xml'", "parquet, csv, json");
    }

    public void Dispose() => _folder.Dispose();
}
