namespace Alquimia.Tests.Projects;

public sealed class ModelConfigProblemTests : IDisposable
{
    private const string Path = "models/silver/tb_chamado.sql";

    private readonly ProjectFolder _folder = new();

    [Fact]
    public void Load_ReportsFrontMatterProblemsAtTheLineOfTheSqlFile()
    {
        Model("\n\n/* ---\ndescription: ok\nmaterialised: table\n--- */\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 5, "Unknown key 'materialised' in the front matter of 'silver.tb_chamado'", "Did you mean 'materialized'?");
    }

    [Fact]
    public void Load_ReportsMalformedFrontMatterAtTheLineOfTheSqlFile()
    {
        Model("/* ---\ndescription: ok\ntags: [a, b\n--- */\nSELECT 1 AS x\n");

        var problem = Assert.Single(_folder.Problems());

        Assert.Equal(Path, problem.FilePath);
        Assert.InRange(problem.Line, 3, 4);
        Assert.Contains("The YAML of the front matter of 'silver.tb_chamado' is malformed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsAFrontMatterThatIsNeverClosed()
    {
        Model("\n/* ---\nmaterialized: view\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 2, "never closed", "'--- */'");
    }

    [Fact]
    public void Load_ListsTheMaterializationsForAnUnknownOne()
    {
        Model("/* ---\nmaterialized: incremnetal\n--- */\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 2, "'incremnetal'", "view, table, incremental, delete_insert, snapshot", "Did you mean 'incremental'?");
    }

    [Fact]
    public void Load_RequiresUniqueKeyAndWatermarkOfAnIncremental()
    {
        Model("/* ---\ndescription: x\nmaterialized: incremental\n--- */\nSELECT 1 AS x\n");

        var problems = _folder.Problems();

        Assert.Equal(2, problems.Count);
        ProjectFolder.AssertProblem(problems[0], Path, 3, "materialized as incremental", "needs 'unique_key'");
        ProjectFolder.AssertProblem(problems[1], Path, 3, "materialized as incremental", "needs 'watermark'");
    }

    [Fact]
    public void Load_RequiresAWatermarkForALookback()
    {
        Model("/* ---\nmaterialized: incremental\nunique_key: id\nlookback: 3 days\n--- */\nSELECT 1 AS id\n");

        _folder.SingleProblem(Path, 4, "'lookback' needs a 'watermark'", "Add watermark:");
    }

    [Fact]
    public void Load_RejectsALookbackWithTheLoadStampAsWatermark()
    {
        Model("/* ---\nmaterialized: incremental\nunique_key: id\nwatermark: _loaded_at\nlookback: 1 day\n--- */\nSELECT 1 AS id, now() AS _loaded_at\n");

        _folder.SingleProblem(Path, 5, "'lookback' has no use with watermark: _loaded_at", "Remove 'lookback'");
    }

    [Fact]
    public void Load_RejectsALookbackThatIsNeitherAnIntervalNorANumber()
    {
        Model("/* ---\nmaterialized: incremental\nunique_key: id\nwatermark: ts\nlookback: three days\n--- */\nSELECT 1 AS id\n");

        _folder.SingleProblem(Path, 5, "'lookback'", "'three days'", "'3 days'");
    }

    [Fact]
    public void Load_RequiresTheWindowOfADeleteInsert()
    {
        Model("/* ---\nmaterialized: delete_insert\n--- */\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 2, "materialized as delete_insert", "needs 'window'");
    }

    [Fact]
    public void Load_RequiresTheUniqueKeyOfASnapshotAndUpdatedAtForTheTimestampStrategy()
    {
        Model("/* ---\nmaterialized: snapshot\nstrategy: timestamp\n--- */\nSELECT 1 AS x\n");

        var problems = _folder.Problems();

        Assert.Equal(2, problems.Count);
        ProjectFolder.AssertProblem(problems[0], Path, 2, "needs 'unique_key'");
        ProjectFolder.AssertProblem(problems[1], Path, 2, "needs 'updated_at'");
    }

    [Fact]
    public void Load_NamesTheMaterializationAKeyBelongsTo()
    {
        Model("/* ---\nmaterialized: table\nwindow: dia >= current_date - 7\n--- */\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 3, "'window' applies to delete_insert models only", "'silver.tb_chamado' is materialized as table", "set materialized: delete_insert");
    }

    [Fact]
    public void Load_SaysWhenTheMaterializationCameFromTheProjectDefault()
    {
        _folder.Write("alquimia.yml", "name: teste\ndefaults:\n  materialized: view\n");
        Model("/* ---\npartition_by: dia\n--- */\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 2, "'partition_by' applies to table, incremental, delete_insert, snapshot models only", "materialized as view (the project's default");
    }

    [Fact]
    public void Load_RequiresBothPartsOfARetention()
    {
        Model("/* ---\nretention:\n  column: dia\n  keeps: 90 days\n--- */\nSELECT 1 AS x\n");

        var problems = _folder.Problems();

        Assert.Equal(2, problems.Count);
        ProjectFolder.AssertProblem(problems[0], Path, 3, "'keep' is missing from 'retention'");
        ProjectFolder.AssertProblem(problems[1], Path, 4, "Unknown key 'keeps'", "Did you mean 'keep'?");
    }

    [Fact]
    public void Load_AcceptsAListOrAValueForListKeysAndReportsAMapping()
    {
        Model("/* ---\ntags:\n  a: b\n--- */\nSELECT 1 AS x\n");

        _folder.SingleProblem(Path, 3, "'tags'", "a value or a list of values");
    }

    private void Model(string text) => _folder.Write(Path, text);

    public void Dispose() => _folder.Dispose();
}
