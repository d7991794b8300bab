using Alquimia.Projects.Loading;

namespace Alquimia.Tests.Projects.Loading;

public sealed class FrontMatterTests
{
    [Fact]
    public void Split_SeparatesTheYamlFromTheSqlAndKeepsTheirFileLines()
    {
        var parts = FrontMatter.Split("\n/* ---\na: 1\nb: 2\n--- */\nSELECT 1\nFROM t\n")!;

        Assert.Equal("a: 1\nb: 2", parts.Yaml);
        Assert.Equal(2, parts.OpeningLine);
        Assert.Equal(3, parts.YamlLine);
        Assert.Equal("SELECT 1\nFROM t\n", parts.Sql);
        Assert.Equal(6, parts.SqlLine);
    }

    [Fact]
    public void Split_TakesAFileWithoutFrontMatterAsAllSql()
    {
        var parts = FrontMatter.Split("-- comentário\nSELECT 1")!;

        Assert.Null(parts.Yaml);
        Assert.Equal("-- comentário\nSELECT 1", parts.Sql);
        Assert.Equal(1, parts.SqlLine);
    }

    [Fact]
    public void Split_ReturnsNullWhenTheFrontMatterIsNeverClosed()
    {
        Assert.Null(FrontMatter.Split("/* ---\na: 1\nSELECT 1"));
    }
}
