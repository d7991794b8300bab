using Alquimia.Ingestion.Landing;
using Alquimia.Warehouse.DuckDb;

namespace Alquimia.Tests.Ingestion.Landing;

/// <summary>A cursor value's text reads back as the same value, whatever DuckDB's session time zone.</summary>
public sealed class CursorValuesTests
{
    [Fact]
    public void ATimestamptzInLocalMeanTime_IsWrittenInUtc_AndReadsBackExactly()
    {
        using var connection = new CheckedConnection(new DuckDbSettings());
        connection.Open();
        // DuckDB writes a TIMESTAMPTZ in its session's zone with the offset cut to minutes: São Paulo's -03:06:28 of 1900 as -03:06.
        connection.Execute("SET TimeZone = 'America/Sao_Paulo'");
        const string Instant = "TIMESTAMPTZ '1900-01-01 03:06:28.5+00'";

        var text = connection.Scalar<string>($"SELECT {CursorValues.Text(Instant, "TIMESTAMP WITH TIME ZONE")}");

        Assert.Equal("1900-01-01 03:06:28.5+00", text);
        Assert.True(connection.Scalar<bool>($"SELECT CAST($1 AS TIMESTAMPTZ) = {Instant}", default, text!));
    }

    [Fact]
    public void TheHighestCursorValue_LeavesOutNaNAndInfinity()
    {
        using var connection = new CheckedConnection(new DuckDbSettings());
        connection.Open();

        Assert.Equal(
            "2.5",
            connection.Scalar<string>($"SELECT {CursorValues.MaxText("v", "DOUBLE")} FROM (VALUES (1.5::DOUBLE), (2.5), ('nan'), ('inf'), (NULL)) t(v)"));
        Assert.Equal(
            "2026-01-02",
            connection.Scalar<string>($"SELECT {CursorValues.MaxText("v", "DATE")} FROM (VALUES (DATE '2026-01-02'), ('infinity'), ('-infinity')) t(v)"));
    }
}
