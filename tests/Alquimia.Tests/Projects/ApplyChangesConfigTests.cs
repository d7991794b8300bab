using Alquimia.Projects;

namespace Alquimia.Tests.Projects;

/// <summary>An apply_changes model's front matter: what is read, and each problem at its line with the fix.</summary>
public sealed class ApplyChangesConfigTests : IDisposable
{
    private const string Path = "models/gold/dm_customer.sql";
    private const string Feed = "SELECT * FROM bronze.customers_cdc\n";

    private readonly ProjectFolder _folder = new();

    public ApplyChangesConfigTests()
    {
        _folder.Write("sources/loja.yml", "name: loja\nformat: csv\ntables:\n  - name: customers_cdc\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_ReadsEveryApplyChangesKey_WithLakeflowsDefaults()
    {
        Model("""
            /* ---
            materialized: apply_changes
            keys: [id_cliente]
            sequence_by: sequence_num
            apply_as_deletes: operation = 'DELETE'
            stored_as_scd_type: 2
            track_history_except: [nome]
            except_columns: [operation, sequence_num, _ingestion_timestamp]
            --- */
            """ + "\n" + Feed);

        var config = _folder.Load().Models.Single(model => model.Name.Name == "dm_customer").Config;

        Assert.Equal(MaterializationKind.ApplyChanges, config.Materialized);
        var settings = Assert.IsType<ApplyChangesSettings>(config.ApplyChanges);
        Assert.Equal(["id_cliente"], settings.Keys);
        Assert.Equal("sequence_num", settings.SequenceBy);
        Assert.Equal("operation = 'DELETE'", settings.ApplyAsDeletes);
        Assert.Null(settings.ApplyAsTruncates);
        Assert.False(settings.IgnoreNullUpdates);
        Assert.Equal(2, settings.ScdType);
        Assert.Equal(["nome"], settings.TrackHistoryExcept);
        Assert.Equal(["operation", "sequence_num", "_ingestion_timestamp"], settings.ExceptColumns);
        Assert.Equal(2, settings.Line);
        // The feed is read past bronze's arrival stamp unless the model names another watermark.
        Assert.Equal("_ingestion_timestamp", config.Watermark);
    }

    [Fact]
    public void Load_RequiresKeysAndSequenceBy()
    {
        Model("/* ---\ndescription: clientes\nmaterialized: apply_changes\n--- */\n" + Feed);

        var problems = _folder.Problems();

        Assert.Equal(2, problems.Count);
        ProjectFolder.AssertProblem(problems[0], Path, 3, "needs 'keys'", "keys: [id_cliente]");
        ProjectFolder.AssertProblem(problems[1], Path, 3, "needs 'sequence_by'", "sequence_by:");
    }

    [Fact]
    public void Load_RefusesTrackHistoryWithScdType1()
    {
        Model("/* ---\nmaterialized: apply_changes\nkeys: id_cliente\nsequence_by: sequence_num\ntrack_history_on: [cidade]\n--- */\n" + Feed);

        _folder.SingleProblem(Path, 5, "'track_history_on' is for SCD type 2", "stored as SCD type 1", "Set stored_as_scd_type: 2");
    }

    [Fact]
    public void Load_RefusesBothTrackHistoryLists()
    {
        Model("/* ---\nmaterialized: apply_changes\nkeys: id_cliente\nsequence_by: sequence_num\nstored_as_scd_type: 2\ntrack_history_on: [cidade]\ntrack_history_except: [nome]\n--- */\n" + Feed);

        _folder.SingleProblem(Path, 7, "both 'track_history_on' and 'track_history_except'");
    }

    [Fact]
    public void Load_RefusesTruncatesWithScdType2()
    {
        Model("/* ---\nmaterialized: apply_changes\nkeys: id_cliente\nsequence_by: sequence_num\nstored_as_scd_type: 2\napply_as_truncates: operation = 'TRUNCATE'\n--- */\n" + Feed);

        _folder.SingleProblem(Path, 6, "'apply_as_truncates' applies to SCD type 1 only");
    }

    [Fact]
    public void Load_RefusesAnScdTypeOtherThan1Or2()
    {
        Model("/* ---\nmaterialized: apply_changes\nkeys: id_cliente\nsequence_by: sequence_num\nstored_as_scd_type: 3\n--- */\n" + Feed);

        _folder.SingleProblem(Path, 5, "'stored_as_scd_type'", "'3'", "1, 2");
    }

    [Fact]
    public void Load_RefusesAKeyAmongTheExceptColumns()
    {
        Model("/* ---\nmaterialized: apply_changes\nkeys: id_cliente\nsequence_by: sequence_num\nexcept_columns: [operation, id_cliente]\n--- */\n" + Feed);

        _folder.SingleProblem(Path, 5, "names its key 'id_cliente'", "Remove 'id_cliente' from except_columns");
    }

    [Fact]
    public void Load_SuggestsTheKeyMeantForAnUnknownOne()
    {
        Model("/* ---\nmaterialized: apply_changes\nkeys: id_cliente\nsequence_by: sequence_num\nexcept_column: [operation]\n--- */\n" + Feed);

        _folder.SingleProblem(Path, 5, "Unknown key 'except_column'", "Did you mean 'except_columns'?");
    }

    [Fact]
    public void Load_NamesApplyChangesAsTheMaterializationOfItsKeys()
    {
        Model("/* ---\nmaterialized: incremental\nunique_key: id_cliente\nwatermark: _ingestion_timestamp\nsequence_by: sequence_num\n--- */\n" + Feed);

        _folder.SingleProblem(Path, 5, "'sequence_by' applies to apply_changes models only", "set materialized: apply_changes");
    }

    private void Model(string text) => _folder.Write(Path, text);
}
