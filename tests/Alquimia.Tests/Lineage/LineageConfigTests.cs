using Alquimia.Tests.Projects;

namespace Alquimia.Tests.Lineage;

/// <summary><c>lineage:</c> in alquimia.yml: read once at load, every problem with its line and fix.</summary>
public sealed class LineageConfigTests : IDisposable
{
    private readonly ProjectFolder _folder = new(withProjectFile: false);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Lineage_ReadsTheEndpointTheFileRelativeToTheProjectTheTokenVariableAndTheTimeout()
    {
        _folder.Write("alquimia.yml", "name: loja\nlineage:\n  url: http://127.0.0.1:5000/api/v1/lineage\n  file: lineage/events.jsonl\n  api_key_env: OPENLINEAGE_API_KEY\n  timeout: 3s\n");

        var lineage = _folder.Load().Settings.Lineage!;

        Assert.Equal(new Uri("http://127.0.0.1:5000/api/v1/lineage"), lineage.Url);
        Assert.Equal(Path.Combine(_folder.Path, "lineage", "events.jsonl"), lineage.File);
        Assert.Equal("OPENLINEAGE_API_KEY", lineage.ApiKeyEnvironmentVariable);
        Assert.Equal(TimeSpan.FromSeconds(3), lineage.Timeout);
    }

    [Fact]
    public void Lineage_WithoutUrlOrFile_IsAProblem_NamingTheFix()
    {
        _folder.Write("alquimia.yml", "name: loja\nlineage:\n  api_key_env: X\n");

        var problems = _folder.Problems();

        Assert.Contains(problems, problem => problem.Line == 3 && problem.Message.Contains("says neither where to send events nor where to write them. Add url:", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Line == 3 && problem.Message.Contains("'api_key_env' in 'lineage' of alquimia.yml is the token for 'url', which is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Lineage_WithANonHttpUrlOrAMisspeltKey_IsAProblemOnItsLine()
    {
        _folder.Write("alquimia.yml", "name: loja\nlineage:\n  url: ftp://host/x\n  fille: a.jsonl\n");

        var problems = _folder.Problems();

        Assert.Contains(problems, problem => problem.Line == 3 && problem.Message.Contains("'url: ftp://host/x' in 'lineage' of alquimia.yml is not an http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Line == 4 && problem.Message.Contains("Unknown key 'fille'", StringComparison.Ordinal) && problem.Message.Contains("Did you mean 'file'?", StringComparison.Ordinal));
    }
}
