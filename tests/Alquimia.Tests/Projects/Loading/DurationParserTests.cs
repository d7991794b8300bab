using Alquimia.Projects.Loading;

namespace Alquimia.Tests.Projects.Loading;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("90s", 90_000)]
    [InlineData("30m", 1_800_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("2d", 172_800_000)]
    public void TryParse_ReadsAWholeNumberAndAUnit(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationParser.TryParse(text));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("1h30m")]
    [InlineData("1.5h")]
    [InlineData("30 minutes")]
    [InlineData("-5s")]
    [InlineData("99999999999999999999d")]
    public void TryParse_RejectsAnythingElse(string text)
    {
        Assert.Null(DurationParser.TryParse(text));
    }
}
