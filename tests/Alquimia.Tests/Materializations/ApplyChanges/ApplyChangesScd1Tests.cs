using Alquimia.Projects;

namespace Alquimia.Tests.Materializations.ApplyChanges;

public sealed class ApplyChangesScd1Tests : IDisposable
{
    private readonly ChangeFeedFixture _feed = new();

    public void Dispose() => _feed.Dispose();

    private static ApplyChangesSettings Scd1 => ChangeFeedFixture.Scd1;

    [Fact]
    public void Scd1_AppliesInsertsUpdatesAndDeletes_KeepingTheLatestOfEachKey()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "2, 'Bruno', 'Natal', 'INSERT', 2", "3, 'Caio', 'Olinda', 'INSERT', 3");
        var first = _feed.Build(Scd1);
        _feed.Arrive("1, 'Ana', 'Salvador', 'UPDATE', 4", "2, NULL, NULL, 'DELETE', 5");

        var second = _feed.Build(Scd1);

        Assert.Equal((3L, 0L, 0L), (first.RowsInserted, first.RowsUpdated, first.RowsDeleted));
        Assert.Equal((0L, 1L, 1L), (second.RowsInserted, second.RowsUpdated, second.RowsDeleted));
        Assert.Equal(["1|Ana|Salvador", "3|Caio|Olinda"], _feed.Customers());
        // The feed's own columns are not written to the target.
        Assert.Equal(["id_cliente", "nome", "cidade"], _feed.Warehouse.Rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'dm_customer' ORDER BY ordinal_position"));
    }

    [Fact]
    public void Scd1_IgnoresAChangeOlderThanTheOneApplied_WhenItArrivesLate()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana', 'Salvador', 'UPDATE', 5");
        _feed.Build(Scd1);
        _feed.Arrive("1, 'Ana', 'Olinda', 'UPDATE', 3");

        var late = _feed.Build(Scd1);

        Assert.Equal((0L, 0L, 0L), (late.RowsInserted, late.RowsUpdated, late.RowsDeleted));
        Assert.Equal(["1|Ana|Salvador"], _feed.Customers());
    }

    [Fact]
    public void Scd1_KeepsTheLatestBySequence_OfSeveralChangesOfAKeyInOneBatch_WhateverTheirArrivalOrder()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana', 'Natal', 'UPDATE', 3", "1, 'Ana', 'Olinda', 'UPDATE', 2", "2, 'Bruno', 'Natal', 'INSERT', 4", "2, NULL, NULL, 'DELETE', 6", "2, 'Bruno', 'Sousa', 'UPDATE', 5");

        var result = _feed.Build(Scd1);

        Assert.Equal(1, result.RowsInserted);
        Assert.Equal(["1|Ana|Natal"], _feed.Customers());
    }

    [Fact]
    public void Scd1_BringsBackAKeyDeletedAndInsertedAgain_InOneBatchOrAcrossBatches()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, NULL, NULL, 'DELETE', 2", "1, 'Ana', 'Natal', 'INSERT', 3", "2, 'Bruno', 'Natal', 'INSERT', 4");
        _feed.Build(Scd1);
        Assert.Equal(["1|Ana|Natal", "2|Bruno|Natal"], _feed.Customers());
        _feed.Arrive("2, NULL, NULL, 'DELETE', 5");
        _feed.Build(Scd1);
        Assert.Equal(["1|Ana|Natal"], _feed.Customers());
        _feed.Arrive("2, 'Bruno', 'Recife', 'INSERT', 6");

        _feed.Build(Scd1);

        Assert.Equal(["1|Ana|Natal", "2|Bruno|Recife"], _feed.Customers());
    }

    [Fact]
    public void Scd1_IgnoresAnUpdateOlderThanTheDeleteOfItsKey_WhenItArrivesAfterTheDelete()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, NULL, NULL, 'DELETE', 3");
        _feed.Build(Scd1);
        _feed.Arrive("1, 'Ana', 'Natal', 'UPDATE', 2");

        _feed.Build(Scd1);

        Assert.Empty(_feed.Customers());
    }

    [Fact]
    public void Scd1_WithIgnoreNullUpdates_KeepsTheValueAnUpdateLeavesNull_FromTheTableAndFromEarlierChangesOfTheBatch()
    {
        var settings = Scd1 with { IgnoreNullUpdates = true };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "2, 'Bruno', 'Natal', 'INSERT', 2");
        _feed.Build(settings);
        _feed.Arrive("1, NULL, 'Salvador', 'UPDATE', 3", "2, 'Beto', NULL, 'UPDATE', 4", "2, NULL, 'Olinda', 'UPDATE', 5");

        _feed.Build(settings);

        Assert.Equal(["1|Ana|Salvador", "2|Beto|Olinda"], _feed.Customers());
    }

    [Fact]
    public void Scd1_WithoutIgnoreNullUpdates_WritesTheUpdatesNulls()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, NULL, 'Salvador', 'UPDATE', 2");

        _feed.Build(Scd1);

        Assert.Equal(["1|NULL|Salvador"], _feed.Customers());
    }

    [Fact]
    public void Scd1_WithIgnoreNullUpdates_StartsAKeyInsertedAfterADeleteAfresh()
    {
        var settings = Scd1 with { IgnoreNullUpdates = true };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1");
        _feed.Build(settings);
        _feed.Arrive("1, NULL, NULL, 'DELETE', 2", "1, NULL, 'Natal', 'INSERT', 3");

        _feed.Build(settings);

        Assert.Equal(["1|NULL|Natal"], _feed.Customers());
    }

    [Fact]
    public void Scd1_Truncate_EmptiesTheTable_KeepingChangesSequencedAfterIt_AndIgnoringOlderOnesArrivingLater()
    {
        var settings = Scd1 with { ApplyAsTruncates = "operation = 'TRUNCATE'" };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "2, 'Bruno', 'Natal', 'INSERT', 2");
        _feed.Build(settings);
        _feed.Arrive("NULL, NULL, NULL, 'TRUNCATE', 10", "3, 'Caio', 'Olinda', 'INSERT', 11");

        var truncated = _feed.Build(settings);

        Assert.Equal((1L, 2L), (truncated.RowsInserted, truncated.RowsDeleted));
        Assert.Equal(["3|Caio|Olinda"], _feed.Customers());
        _feed.Arrive("1, 'Ana', 'Natal', 'UPDATE', 5");
        _feed.Build(settings);
        Assert.Equal(["3|Caio|Olinda"], _feed.Customers());
    }

    [Fact]
    public void Scd1_AppliesNothingTwice_WhenTheSameChangesArriveAgain_OrTheFeedIsReadAgain()
    {
        string[] changes = ["1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana', 'Natal', 'UPDATE', 2", "2, 'Bruno', 'Natal', 'INSERT', 3", "2, NULL, NULL, 'DELETE', 4"];
        _feed.Arrive(changes);
        _feed.Build(Scd1);
        var before = _feed.Customers();

        var rerun = _feed.Build(Scd1);
        _feed.Arrive(changes);
        var again = _feed.Build(Scd1);
        var rebuilt = _feed.Build(Scd1, fullRefresh: true);

        Assert.Equal((0L, 0L, 0L), (rerun.RowsInserted, rerun.RowsUpdated, rerun.RowsDeleted));
        Assert.Equal((0L, 0L, 0L), (again.RowsInserted, again.RowsUpdated, again.RowsDeleted));
        Assert.Equal(["1|Ana|Natal"], before);
        Assert.Equal(before, _feed.Customers());
        Assert.Equal(1, rebuilt.RowsInserted);
    }

    [Fact]
    public void Scd1_ReadsOnlyTheChangesPastTheWatermark()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1");
        _feed.Build(Scd1);
        // A row changed in bronze behind the watermark is not read again: the feed is append-only.
        _feed.Warehouse.Execute("UPDATE bronze.customers_cdc SET cidade = 'Natal'");
        _feed.Arrive("2, 'Bruno', 'Natal', 'INSERT', 2");

        _feed.Build(Scd1);

        Assert.Equal("_ingestion_timestamp", _feed.Warehouse.Watermark(ChangeFeedFixture.Model(Scd1).Name)?.Column);
        Assert.Equal(["1|Ana|Recife", "2|Bruno|Natal"], _feed.Customers());
    }

    [Fact]
    public void Scd1_KeepsTheSequenceColumn_WhenItIsNotExcepted()
    {
        var settings = Scd1 with { ExceptColumns = ["operation", "_ingestion_timestamp"] };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana', 'Natal', 'UPDATE', 2");

        _feed.Build(settings);

        Assert.Equal(["1|Ana|Natal|2"], _feed.Warehouse.Rows("SELECT id_cliente, nome, cidade, sequence_num FROM gold.dm_customer"));
    }
}
