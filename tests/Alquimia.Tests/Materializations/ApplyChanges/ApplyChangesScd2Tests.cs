using Alquimia.Projects;

namespace Alquimia.Tests.Materializations.ApplyChanges;

public sealed class ApplyChangesScd2Tests : IDisposable
{
    private readonly ChangeFeedFixture _feed = new();

    public void Dispose() => _feed.Dispose();

    private static ApplyChangesSettings Scd2 => ChangeFeedFixture.Scd2;

    [Fact]
    public void Scd2_KeepsEveryVersion_FromItsSequenceToTheNext_AndADeleteClosesTheCurrentOne()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "2, 'Bruno', 'Natal', 'INSERT', 2");
        _feed.Build(Scd2);
        _feed.Arrive("1, 'Ana', 'Salvador', 'UPDATE', 3", "2, NULL, NULL, 'DELETE', 4");

        var result = _feed.Build(Scd2);

        Assert.Equal((1L, 2L, 0L), (result.RowsInserted, result.RowsUpdated, result.RowsDeleted));
        Assert.Equal(["1|Ana|Recife|1|3", "1|Ana|Salvador|3|NULL", "2|Bruno|Natal|2|4"], _feed.Versions());
        // Lakeflow's columns, typed as sequence_by.
        Assert.Equal(["BIGINT", "BIGINT"], _feed.Warehouse.Rows(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'dm_customer' AND column_name IN ('__START_AT', '__END_AT') ORDER BY column_name"));
    }

    [Fact]
    public void Scd2_InsertsAChangeArrivingOutOfOrder_AtItsPlaceInTheHistory()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana', 'Olinda', 'UPDATE', 5");
        _feed.Build(Scd2);
        _feed.Arrive("1, 'Ana', 'Natal', 'UPDATE', 3");

        _feed.Build(Scd2);

        Assert.Equal(["1|Ana|Recife|1|3", "1|Ana|Natal|3|5", "1|Ana|Olinda|5|NULL"], _feed.Versions());
    }

    [Fact]
    public void Scd2_ClosesAVersionAtADeleteThatArrivedBeforeTheInsert()
    {
        _feed.Arrive("1, NULL, NULL, 'DELETE', 5");
        _feed.Build(Scd2);
        Assert.Empty(_feed.Versions());
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 3");

        _feed.Build(Scd2);

        Assert.Equal(["1|Ana|Recife|3|5"], _feed.Versions());
    }

    [Fact]
    public void Scd2_OpensANewVersion_ForAKeyDeletedAndInsertedAgain_EvenWithTheSameValues()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, NULL, NULL, 'DELETE', 2");
        _feed.Build(Scd2);
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 3");

        _feed.Build(Scd2);

        Assert.Equal(["1|Ana|Recife|1|2", "1|Ana|Recife|3|NULL"], _feed.Versions());
    }

    [Fact]
    public void Scd2_OpensAVersionOnlyWhenATrackedColumnChanges_SeveralChangesOfAKeyInOneBatch()
    {
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana', 'Recife', 'UPDATE', 2", "1, 'Ana', 'Natal', 'UPDATE', 4", "1, 'Ana', 'Natal', 'UPDATE', 3");

        _feed.Build(Scd2);

        Assert.Equal(["1|Ana|Recife|1|3", "1|Ana|Natal|3|NULL"], _feed.Versions());
    }

    [Fact]
    public void Scd2_TrackHistoryOn_UpdatesTheOtherColumnsInPlace()
    {
        var settings = Scd2 with { TrackHistoryOn = ["cidade"] };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1");
        _feed.Build(settings);
        _feed.Arrive("1, 'Ana Maria', 'Recife', 'UPDATE', 2");
        _feed.Build(settings);
        Assert.Equal(["1|Ana Maria|Recife|1|NULL"], _feed.Versions());
        _feed.Arrive("1, 'Ana Maria', 'Natal', 'UPDATE', 3");

        _feed.Build(settings);

        Assert.Equal(["1|Ana Maria|Recife|1|3", "1|Ana Maria|Natal|3|NULL"], _feed.Versions());
    }

    [Fact]
    public void Scd2_TrackHistoryExcept_UpdatesTheExceptedColumnsInPlace_KeepingTheLatestOfThemWhenALateChangeFallsInTheVersion()
    {
        var settings = Scd2 with { TrackHistoryExcept = ["nome"] };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana Maria', 'Recife', 'UPDATE', 4");
        _feed.Build(settings);
        Assert.Equal(["1|Ana Maria|Recife|1|NULL"], _feed.Versions());
        _feed.Arrive("1, 'Ana M.', 'Recife', 'UPDATE', 2");

        _feed.Build(settings);

        Assert.Equal(["1|Ana Maria|Recife|1|NULL"], _feed.Versions());
    }

    [Fact]
    public void Scd2_WithIgnoreNullUpdates_CarriesTheVersionsValuesIntoTheNext()
    {
        var settings = Scd2 with { IgnoreNullUpdates = true };
        _feed.Arrive("1, 'Ana', 'Recife', 'INSERT', 1");
        _feed.Build(settings);
        _feed.Arrive("1, NULL, 'Natal', 'UPDATE', 2");

        _feed.Build(settings);

        Assert.Equal(["1|Ana|Recife|1|2", "1|Ana|Natal|2|NULL"], _feed.Versions());
    }

    [Fact]
    public void Scd2_AppliesNothingTwice_WhenTheSameChangesArriveAgain_OrTheFeedIsReadAgain()
    {
        string[] changes = ["1, 'Ana', 'Recife', 'INSERT', 1", "1, 'Ana', 'Natal', 'UPDATE', 2", "1, 'Ana', 'Natal', 'UPDATE', 3", "2, 'Bruno', 'Natal', 'INSERT', 3", "2, NULL, NULL, 'DELETE', 4"];
        _feed.Arrive(changes);
        _feed.Build(Scd2);
        var before = _feed.Versions();

        var rerun = _feed.Build(Scd2);
        _feed.Arrive(changes);
        var again = _feed.Build(Scd2);
        _feed.Build(Scd2, fullRefresh: true);

        Assert.Equal((0L, 0L, 0L), (rerun.RowsInserted, rerun.RowsUpdated, rerun.RowsDeleted));
        Assert.Equal((0L, 0L, 0L), (again.RowsInserted, again.RowsUpdated, again.RowsDeleted));
        Assert.Equal(["1|Ana|Recife|1|2", "1|Ana|Natal|2|NULL", "2|Bruno|Natal|3|4"], before);
        Assert.Equal(before, _feed.Versions());
    }
}
