namespace Alquimia.Tests.Projects;

public sealed class ProjectFileProblemTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    [Fact]
    public void Load_NamesTheMissingProjectFileAndTheCommandThatCreatesIt()
    {
        _folder.SingleProblem("alquimia.yml", 0, "There is no alquimia.yml", "`alquimia init` creates one");
    }

    [Fact]
    public void Load_ReportsMalformedYamlAtItsLine()
    {
        _folder.Write("alquimia.yml", "name: teste\ndefaults:\n  materialized: [table\n");

        _folder.SingleProblem("alquimia.yml", 3, "The YAML of alquimia.yml is malformed: the '[' opened on this line is never closed");
    }

    [Theory]
    [InlineData("alquimia.yml", "name: teste\nmax_parallelism: [4\n", 2)]
    [InlineData("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: pedidos\n    primary_key: [id_pedido\n", 5)]
    [InlineData("models/silver/tb_pedido.sql", "/* ---\nmaterialized: incremental\nunique_key: [id_pedido\n--- */\nSELECT 1 AS id_pedido\n", 3)]
    public void Load_ABracketLeftOpenAtTheEndOfAnyYaml_IsAProblemOfItsFileAndLine_NotACrash(string file, string text, int line)
    {
        _folder.Write("alquimia.yml", "name: teste\n").Write(file, text);

        var problem = _folder.Problems().First(problem => problem.FilePath == file);

        ProjectFolder.AssertProblem(problem, file, line, "is malformed: the '[' opened on this line is never closed");
    }

    [Fact]
    public void Load_ReportsAMissingRequiredKey()
    {
        _folder.Write("alquimia.yml", "warehouse: wh.duckdb\n");

        _folder.SingleProblem("alquimia.yml", 1, "'name' is missing from alquimia.yml", "name: vcredit");
    }

    [Fact]
    public void Load_ReportsASourcesFolderThatDoesNotExist()
    {
        _folder.Write("alquimia.yml", "name: teste\nsources: fontes_pg\n");

        _folder.SingleProblem("alquimia.yml", 2, "'sources: fontes_pg' names a folder that does not exist", "remove the key to read sources/");
    }

    [Fact]
    public void Load_SuggestsTheClosestKeyForAnUnknownOne()
    {
        _folder.Write("alquimia.yml", "name: teste\nmax_paralelism: 4\n");

        _folder.SingleProblem("alquimia.yml", 2, "Unknown key 'max_paralelism' in alquimia.yml", "Did you mean 'max_parallelism'?");
    }

    [Fact]
    public void Load_ListsTheAllowedValuesOfAnEnumKey()
    {
        _folder.Write("alquimia.yml", "name: teste\ndefaults:\n  materialized: tabel\n");

        _folder.SingleProblem("alquimia.yml", 3, "'materialized'", "'tabel'", "view, table, incremental, delete_insert, snapshot", "Did you mean 'table'?");
    }

    [Fact]
    public void Load_ListsTheStorageVersionsDuckDbWrites()
    {
        _folder.Write("alquimia.yml", "name: teste\nduckdb:\n  memory_limit: 2GB\n  storage_version: 1.5.0\n");

        _folder.SingleProblem("alquimia.yml", 4, "'storage_version'", "'1.5.0'", "v1.0.0, v1.1.0, v1.2.0, v1.3.0, v1.4.0, v1.5.0", "Did you mean 'v1.5.0'?", "DuckDB 1.0 and later");
    }

    [Fact]
    public void Load_ReportsAValueOfTheWrongType()
    {
        _folder.Write("alquimia.yml", "name: teste\nretries: many\ntimeout: 30 minutes\n");

        var problems = _folder.Problems();

        Assert.Equal(2, problems.Count);
        ProjectFolder.AssertProblem(problems[0], "alquimia.yml", 2, "'retries'", "whole number", "'many'");
        ProjectFolder.AssertProblem(problems[1], "alquimia.yml", 3, "'timeout'", "500ms, 90s, 30m, 1h, 2d", "'30 minutes'");
    }

    [Fact]
    public void Load_ReportsAMappingWhereAValueBelongs()
    {
        _folder.Write("alquimia.yml", "name:\n  first: a\n");

        _folder.SingleProblem("alquimia.yml", 2, "'name' in alquimia.yml should be a single value, not a mapping");
    }

    public void Dispose() => _folder.Dispose();
}
