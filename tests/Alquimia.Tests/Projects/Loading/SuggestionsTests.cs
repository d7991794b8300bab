using Alquimia.Projects.Loading;

namespace Alquimia.Tests.Projects.Loading;

public sealed class SuggestionsTests
{
    [Theory]
    [InlineData("materialised", "materialized")]
    [InlineData("uniqe_key", "unique_key")]
    [InlineData("wtaermark", "watermark")]
    public void Closest_FindsTheKeyMeantDespiteATypoOrASwap(string typo, string meant)
    {
        Assert.Equal(meant, Suggestions.Closest(typo, ["materialized", "unique_key", "watermark", "window"]));
    }

    [Fact]
    public void Closest_SuggestsNothingWhenNothingIsClose()
    {
        Assert.Null(Suggestions.Closest("schedule", ["name", "lake", "warehouse"]));
        Assert.Equal("", Suggestions.DidYouMean("schedule", ["name"]));
    }
}
