using Alquimia.Projects;

namespace Alquimia.Tests.Projects;

public sealed class SourceFileProblemTests : IDisposable
{
    private readonly ProjectFolder _folder = new();

    [Fact]
    public void Load_ReportsEachMissingRequiredKeyOfASource()
    {
        _folder.Write("sources/pg.yml", "description: nada\n");

        var problems = _folder.Problems();

        Assert.Equal(3, problems.Count);
        Assert.All(problems, problem => Assert.Equal("sources/pg.yml", problem.FilePath));
        Assert.Contains(problems, problem => problem.Message.Contains("'name' is missing", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Message.Contains("'format' is missing", StringComparison.Ordinal) && problem.Message.Contains("parquet, csv, json", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Message.Contains("'tables' is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ReportsATableDeclaredTwiceInOneSource()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: csv\ntables:\n  - name: chamados\n  - name: chamados\n");

        _folder.SingleProblem("sources/pg.yml", 5, "Table 'chamados' is declared twice in sources/pg.yml (first at line 4)");
    }

    [Fact]
    public void Load_ReportsATableDeclaredInTwoSourcesNamingBothFiles()
    {
        _folder
            .Write("sources/a.yml", "name: a\nformat: csv\ntables:\n  - name: chamados\n")
            .Write("sources/b.yml", "name: b\nformat: json\ntables:\n  - name: clientes\n  - name: chamados\n");

        _folder.SingleProblem("sources/b.yml", 5, "Table 'chamados' is also declared by table 'chamados' of source 'a' (sources/a.yml:4)", "bronze.chamados");
    }

    [Fact]
    public void Load_ChecksDeclaredColumnTypesWithDuckDb()
    {
        _folder.Write("sources/pg.yml", """
            name: pg
            format: parquet
            tables:
              - name: chamados
                columns:
                  - name: id
                    type: BIGINT
                  - name: valor
                    type: NUMBERZ
            """);

        _folder.SingleProblem("sources/pg.yml", 9, "Column 'valor' of table 'chamados' of sources/pg.yml", "DuckDB does not know the type 'NUMBERZ'");
    }

    [Fact]
    public void Load_RejectsAColumnTypeWithQuotesOrSemicolonsWithoutRunningIt()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: parquet\ntables:\n  - name: t\n    columns:\n      - {name: x, type: \"INT); DROP TABLE y; --\"}\n");

        _folder.SingleProblem("sources/pg.yml", 6, "Column 'x'", "holds ';'");
    }

    [Fact]
    public void Load_SuggestsTheClosestKeyInATable()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: parquet\ntables:\n  - name: t\n    primary_keys: [id]\n");

        _folder.SingleProblem("sources/pg.yml", 5, "Unknown key 'primary_keys' in a table of sources/pg.yml", "Did you mean 'primary_key'?");
    }

    [Fact]
    public void Load_AnIncrementalDatabaseTable_NeedsACursor()
    {
        _folder.Write("sources/pg.yml", "name: pg\ntype: postgres\nconnection: ${PG}\ntables:\n  - name: chamados\n    mode: incremental\n");

        _folder.SingleProblem("sources/pg.yml", 6, "table 'chamados' of sources/pg.yml is incremental but has no 'cursor'", "cursor: atualizado_em");
    }

    [Fact]
    public void Load_ALookback_IsForIncrementalTables_AndMustBeAnIntervalOrANumber()
    {
        _folder.Write(
            "sources/pg.yml",
            "name: pg\ntype: postgres\nconnection: ${PG}\ntables:\n  - name: chamados\n    lookback: 1 hour\n"
            + "  - name: pedidos\n    mode: incremental\n    cursor: criado_em\n    lookback: meia hora\n");

        var problems = _folder.Problems();

        Assert.Equal(
            ["6: 'lookback' of table 'chamados' of sources/pg.yml is for incremental tables: it is how far behind the cursor each sync reads again. Remove it, or add 'mode: incremental'.",
             "10: 'lookback' of table 'pedidos' of sources/pg.yml is 'meia hora', which DuckDB does not read as an interval such as '30 minutes' or '2 days', nor is it a number for a numeric cursor."],
            problems.Select(problem => $"{problem.Line}: {problem.Message}"));
    }

    [Fact]
    public void Load_DatabaseKeys_OnAFilesSource_AreRefused()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: csv\nconnection: x\ntables:\n  - name: chamados\n    cursor: atualizado_em\n");

        var problems = _folder.Problems();

        Assert.Equal(
            ["3: 'connection' is for database sources, and sources/pg.yml is a files source. Add 'type: postgres', or remove 'connection'.",
             "6: 'cursor' of table 'chamados' of sources/pg.yml is for database sources: files are each loaded once whatever their rows. Remove it, or add 'type: postgres' to the source."],
            problems.Select(problem => $"{problem.Line}: {problem.Message}"));
    }

    [Fact]
    public void Load_TablesAll_IsForDatabaseSources_AndItsPatternsNeedIt()
    {
        _folder.Write("sources/files.yml", "name: files\nformat: csv\ntables: all\n");
        _folder.Write("sources/pg.yml", "name: pg\ntype: postgres\nconnection: ${PG}\nexclude: ['*_tmp']\ntables:\n  - name: chamados\n");

        var problems = _folder.Problems();

        Assert.Equal(
            ["sources/files.yml:3: 'tables: all' in sources/files.yml lists a database's tables, and this is a files source: list the tables whose files land in the lake.",
             "sources/pg.yml:4: 'exclude' in sources/pg.yml filters the tables that 'tables: all' finds, and this source lists its tables. Write 'tables: all', or remove 'exclude'."],
            problems.Select(problem => $"{problem.FilePath}:{problem.Line}: {problem.Message}"));
    }

    [Fact]
    public void Load_AModelReadingATableThatTwoDiscoveringSourcesAllow_IsAmbiguous()
    {
        _folder.Write("sources/crm.yml", "name: crm\ntype: postgres\nconnection: ${CRM}\ntables: all\ninclude: [tb_*]\n");
        _folder.Write("sources/erp.yml", "name: erp\ntype: postgres\nconnection: ${ERP}\ntables: all\nexclude: [log_*]\n");
        _folder.Write("models/silver/tb_cliente.sql", "SELECT * FROM bronze.tb_cliente\n");

        _folder.SingleProblem(
            "models/silver/tb_cliente.sql", 1, "reads bronze.tb_cliente, which the 'tables: all' of two sources allows: 'crm' and 'erp'", "Exclude it from one of them");
    }

    [Fact]
    public void Load_AnUnknownSchemaEvolution_NamesTheFileLineAndThePolicies()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: csv\nschema_evolution: add_column\ntables:\n  - name: chamados\n");

        _folder.SingleProblem("sources/pg.yml", 3, "'schema_evolution' in sources/pg.yml is 'add_column', which is not one of: add_columns, fail, ignore.", "Did you mean 'add_columns'?");
    }

    [Fact]
    public void Load_SchemaEvolutionOnATable_IsAnUnknownKey_ItBelongsToTheSource()
    {
        _folder.Write("sources/pg.yml", "name: pg\nformat: csv\ntables:\n  - name: chamados\n    schema_evolution: fail\n");

        _folder.SingleProblem("sources/pg.yml", 5, "Unknown key 'schema_evolution' in a table of sources/pg.yml");
    }

    [Theory]
    [InlineData("", SchemaEvolution.AddColumns)]
    [InlineData("schema_evolution: fail\n", SchemaEvolution.Fail)]
    [InlineData("schema_evolution: ignore\n", SchemaEvolution.Ignore)]
    public void Load_ReadsTheSchemaEvolution_AddColumnsByDefault(string line, SchemaEvolution expected)
    {
        _folder.Write("sources/pg.yml", $"name: pg\ntype: postgres\nconnection: ${{PG}}\n{line}tables:\n  - name: chamados\n");

        Assert.Equal(expected, _folder.Load().Sources.Single().SchemaEvolution);
    }

    [Fact]
    public void Load_AnUnknownType_ListsTheRegisteredConnectors_AndSuggestsTheClosest()
    {
        _folder.Write("sources/pg.yml", "name: pg\ntype: postgre\nconnection: x\ntables:\n  - name: chamados\n");

        var problem = Assert.Single(_folder.Problems(), problem => problem.Message.Contains("'type'", StringComparison.Ordinal));

        Assert.Equal(2, problem.Line);
        Assert.Contains("is 'postgre', which is not one of: files, postgres, mysql, postgres_cdc. Did you mean 'postgres'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AConnectorsOwnKeys_AreReadByIt_WithTheFileAndLine()
    {
        _folder.Write("sources/pg.yml", "name: pg\ntype: postgres\nschema: vendas\ntables:\n  - name: chamados\n");

        var problem = Assert.Single(_folder.Problems());

        Assert.Equal("sources/pg.yml", problem.FilePath);
        Assert.Contains("'connection' is missing", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_APostgresSource_KeepsItsConnectionAndSchema_AsTheConnectorsOptions()
    {
        _folder.Write("sources/pg.yml", "name: pg\ntype: postgres\nconnection: ${VENDAS}\nschema: vendas\ntables:\n  - name: chamados\n");

        var source = _folder.Load().Sources.Single();

        Assert.Equal("postgres", source.Type);
        Assert.Equal("schema vendas", source.Options.TablesIn);
        Assert.Equal(Alquimia.Projects.LandingFormat.Parquet, source.Format);
    }

    public void Dispose() => _folder.Dispose();
}
