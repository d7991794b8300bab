using Alquimia.Projects;

namespace Alquimia.Tests.Materializations.ApplyChanges;

/// <summary>What an apply_changes build refuses, found when its query is bound or its feed read: each names the model's file, what is wrong and the fix.</summary>
public sealed class ApplyChangesErrorTests : IDisposable
{
    private readonly ChangeFeedFixture _feed = new();

    public void Dispose() => _feed.Dispose();

    [Theory]
    [InlineData("keys", "its keys names 'id_customer'", "fix 'keys'")]
    [InlineData("sequence_by", "its sequence_by names 'lsn'", "fix 'sequence_by'")]
    [InlineData("except_columns", "its except_columns names 'op'", "Remove it from 'except_columns'")]
    [InlineData("track_history_on", "its track_history_on names 'sequence_num'", "remove it from 'track_history_on'")]
    public void Build_RefusesASettingNamingAColumnTheQueryDoesNotReturn(string setting, string problem, string fix)
    {
        var settings = setting switch
        {
            "keys" => ChangeFeedFixture.Scd1 with { Keys = ["id_customer"] },
            "sequence_by" => ChangeFeedFixture.Scd1 with { SequenceBy = "lsn" },
            "except_columns" => ChangeFeedFixture.Scd1 with { ExceptColumns = ["op"] },
            _ => ChangeFeedFixture.Scd2 with { TrackHistoryOn = ["sequence_num"] },
        };

        var error = Assert.Throws<AlquimiaException>(() => _feed.Build(settings));

        Assert.StartsWith("models/gold/dm_customer.sql:2: apply_changes model 'gold.dm_customer': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("its columns are: id_cliente, nome, cidade, operation, sequence_num, _ingestion_timestamp", error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RefusesAFeedWithoutItsWatermark_SayingHowToNameAnother()
    {
        var model = ChangeFeedFixture.Model(ChangeFeedFixture.Scd1 with { ExceptColumns = ["operation", "sequence_num"] },
            "SELECT id_cliente, nome, cidade, operation, sequence_num FROM bronze.customers_cdc");

        var error = Assert.Throws<AlquimiaException>(() => _feed.Warehouse.Build(model));

        Assert.Contains("its watermark names '_ingestion_timestamp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("set watermark: <column>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RefusesAnScd2FeedReturningTheVersionColumns()
    {
        var model = ChangeFeedFixture.Model(ChangeFeedFixture.Scd2, "SELECT *, sequence_num AS __START_AT FROM bronze.customers_cdc");

        var error = Assert.Throws<AlquimiaException>(() => _feed.Warehouse.Build(model));

        Assert.Contains("returns '__START_AT', a column SCD type 2 adds to the target itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RefusesNullKeysAndSequences_CountingThem_AndAppliesNothingOfTheBatch()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1");
        _feed.Build(ChangeFeedFixture.Scd1);
        _feed.Arrive("2, 'Bruno', 'Natal', 'INSERT', 2", "NULL, 'Caio', 'Olinda', 'INSERT', 3", "NULL, 'Davi', 'Olinda', 'INSERT', 4", "1, 'Ana', 'Natal', 'UPDATE', NULL");

        var error = Assert.Throws<AlquimiaException>(() => _feed.Build(ChangeFeedFixture.Scd1));

        Assert.Equal(
            "models/gold/dm_customer.sql: apply_changes model 'gold.dm_customer': its feed has 2 change(s) with a NULL 'id_cliente'; 1 change(s) with a NULL 'sequence_num', "
            + "which no key or order can be given to. Nothing of this batch was applied. Filter them out in the model's SQL (WHERE … IS NOT NULL), or fix the feed.",
            error.Message);
        Assert.Equal(["1|Ana|Recife"], _feed.Customers());
    }

    [Fact]
    public void Build_AcceptsATruncateWithoutAKey()
    {
        var settings = ChangeFeedFixture.Scd1 with { ApplyAsTruncates = "operation = 'TRUNCATE'" };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "NULL, NULL, NULL, 'TRUNCATE', 2");

        _feed.Build(settings);

        Assert.Empty(_feed.Customers());
    }
}
